package exchange

import (
	"bytes"
	"strings"

	"github.com/goccy/go-yaml"

	"promptbench/workspace"
)

// outline is what a three-way merge needs to know of an export file
// beyond what import reads: each prompt's text and each label's text, to
// tell "deleted on one side" from "never there", and the taxonomy
// section. It is read from the layout export writes (prompts as "- name:"
// items at column 0, labels at four spaces); a file in another layout
// gives an outline that knows no prompts, and the merge then only adds.
type outline struct {
	taxonomy    []byte // the section as written; nil when the file has none
	hasTaxonomy bool
	prompts     map[string]promptOutline
	hasLogs     bool // the file has logs: or runs: (export --with-logs)
}

type promptOutline struct {
	block  []byte            // the prompt's item, as written
	labels map[string]string // label -> its text (version and history)
}

func readOutline(data []byte) outline {
	o := outline{prompts: map[string]promptOutline{}}
	section := ""
	var cur string
	var label string
	inLabels := false
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		text := strings.TrimRight(string(line), "\r\n")
		if text != "" && text[0] != ' ' && text[0] != '#' {
			if name, ok := strings.CutPrefix(text, "- name:"); ok && section == "prompts" {
				cur, inLabels, label = promptName(name), false, ""
				if cur != "" {
					o.prompts[cur] = promptOutline{labels: map[string]string{}}
				}
			} else if !strings.HasPrefix(text, "- ") {
				key, _, _ := strings.Cut(text, ":")
				section, cur = key, ""
				o.hasLogs = o.hasLogs || key == "logs" || key == "runs"
			}
		}
		switch {
		case section == "taxonomy":
			o.taxonomy = append(o.taxonomy, line...)
			o.hasTaxonomy = true
		case section == "prompts" && cur != "":
			p := o.prompts[cur]
			p.block = append(p.block, line...)
			indent := len(text) - len(strings.TrimLeft(text, " "))
			switch {
			case indent == 2 && text != "":
				inLabels, label = text == "  labels:", ""
			case inLabels && indent == 4 && strings.HasSuffix(text, ":"):
				label = strings.TrimSuffix(strings.TrimSpace(text), ":")
			}
			if inLabels && label != "" {
				p.labels[label] += text + "\n"
			}
			o.prompts[cur] = p
		}
	}
	return o
}

// promptName reads the scalar after "- name:", quoted or not; "" when it
// is no prompt name.
func promptName(s string) string {
	var v struct {
		V string `yaml:"v"`
	}
	if err := yaml.Unmarshal([]byte("v:"+s), &v); err != nil || workspace.ValidateName(v.V) != nil {
		return ""
	}
	return v.V
}

// mergeTaxonomy takes the side that changed the taxonomy; when both did
// differently, ours, reported.
func mergeTaxonomy(base, ours, theirs outline) (outline, bool) {
	switch {
	case bytes.Equal(ours.taxonomy, theirs.taxonomy), bytes.Equal(theirs.taxonomy, base.taxonomy):
		return ours, false
	case bytes.Equal(ours.taxonomy, base.taxonomy):
		return theirs, false
	}
	return ours, true
}

// parseTaxonomy decodes a taxonomy section.
func parseTaxonomy(section []byte) (*workspace.Taxonomy, error) {
	var doc struct {
		Taxonomy workspace.Taxonomy `yaml:"taxonomy"`
	}
	if err := yaml.Unmarshal(section, &doc); err != nil {
		return nil, workspace.Invalidf("taxonomy: %v", err)
	}
	return &doc.Taxonomy, nil
}

// deletions finds what one side (gone) deleted since base while the other
// side (kept) left it as it was: those prompts and labels are left out of
// kept's import. A prompt deleted on one side and changed on the other is
// kept, and named in changed.
func deletions(base, gone, kept outline) (prompts map[string]bool, labels map[string]map[string]bool, changed []string) {
	prompts, labels = map[string]bool{}, map[string]map[string]bool{}
	for name, b := range base.prompts {
		k, inKept := kept.prompts[name]
		if !inKept {
			continue
		}
		g, inGone := gone.prompts[name]
		if !inGone {
			if bytes.Equal(k.block, b.block) {
				prompts[name] = true
			} else {
				changed = append(changed, name)
			}
			continue
		}
		for label, text := range b.labels {
			if _, ok := g.labels[label]; !ok && k.labels[label] == text {
				if labels[name] == nil {
					labels[name] = map[string]bool{}
				}
				labels[name][label] = true
			}
		}
	}
	return prompts, labels, changed
}
