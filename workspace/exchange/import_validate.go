package exchange

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"promptbench/workspace"
	"promptbench/workspace/template"
)

// isHash matches 64 lowercase hex digits.
func isHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// validateHead checks what a prompt's header holds on its own: name,
// description and tags.
func validateHead(fp exportPrompt, lim workspace.ImportLimits) (parsedPrompt, *fieldError) {
	p := parsedPrompt{name: fp.Name, description: fp.Description}
	if err := workspace.ValidateName(fp.Name); err != nil {
		return p, fieldErrorf(".name", "%v", err)
	}
	if len(fp.Description) > lim.TextBytes {
		return p, fieldErrorf(".description", "%d bytes; a description is limited to %s", len(fp.Description), workspace.SizeText(int64(lim.TextBytes)))
	}
	if workspace.LooksLikeSecretIn(fp.Description) {
		return p, fieldErrorf(".description", "holds what looks like an API key; keys belong in environment variables, not in the library")
	}
	for i, s := range fp.Tags {
		t, err := workspace.ParseTag(s)
		if err != nil {
			return p, fieldErrorf(fmt.Sprintf(".tags[%d]", i), "%v", err)
		}
		p.tags = append(p.tags, t)
	}
	p.tags = workspace.SortTags(p.tags)
	return p, nil
}

// validateTail checks what needs the prompt's n versions: its creation
// time (first is the first version's time) and its labels.
func validateTail(fp exportPrompt, n int, first time.Time, lim workspace.ImportLimits) (time.Time, []parsedLabel, *fieldError) {
	created := first
	if fp.Created != "" {
		t, err := parseFileTime(fp.Created)
		if err != nil {
			return created, nil, fieldErrorf(".created", "%v", err)
		}
		created = t
	}
	if len(fp.Labels) > lim.Labels {
		return created, nil, fieldErrorf(".labels", "%d labels; at most %d per prompt", len(fp.Labels), lim.Labels)
	}
	var labels []parsedLabel
	for _, name := range slices.Sorted(maps.Keys(fp.Labels)) {
		fl := fp.Labels[name]
		path := ".labels." + name
		if err := workspace.ValidateLabel(name); err != nil {
			return created, nil, fieldErrorf(path, "%v", err)
		}
		if fl.Version < 1 || fl.Version > n {
			return created, nil, fieldErrorf(path+".version", "label %s points at version %d, which does not exist (versions 1 to %d)", name, fl.Version, n)
		}
		if len(fl.History) > lim.LabelHistory {
			return created, nil, fieldErrorf(path+".history", "%d moves; at most %d", len(fl.History), lim.LabelHistory)
		}
		l := parsedLabel{name: strings.Clone(name), version: fl.Version}
		for j, m := range fl.History {
			hp := fmt.Sprintf("%s.history[%d]", path, j)
			if m.Version < 1 || m.Version > n {
				return created, nil, fieldErrorf(hp+".version", "version %d does not exist (versions 1 to %d)", m.Version, n)
			}
			t, err := parseFileTime(m.Time)
			if err != nil {
				return created, nil, fieldErrorf(hp+".time", "%v", err)
			}
			l.history = append(l.history, parsedMove{version: m.Version, author: strings.Clone(m.Author), time: t})
		}
		labels = append(labels, l)
	}
	return created, labels, nil
}

// validateVersion checks the version at index i of a prompt; its errors'
// paths are below the version.
func validateVersion(name string, i int, fv fileVersion, vars *templateCache, lim workspace.ImportLimits) (workspace.Version, *fieldError) {
	switch {
	case fv.Number == 0:
		return workspace.Version{}, fieldErrorf(".number", "missing version number")
	case fv.Number <= i:
		return workspace.Version{}, fieldErrorf(".number", "duplicate version number %d; versions are numbered 1, 2, 3, … in order", fv.Number)
	case fv.Number != i+1:
		return workspace.Version{}, fieldErrorf(".number", "version number %d out of order; expected %d (versions are numbered 1, 2, 3, … in order)", fv.Number, i+1)
	}
	switch {
	case fv.Number == 1 && fv.Parent != 0:
		return workspace.Version{}, fieldErrorf(".parent", "parent %d does not exist; version 1 has no parent", fv.Parent)
	case fv.Number > 1 && (fv.Parent < 0 || fv.Parent >= fv.Number):
		// No parent is the first version of a line an import merged in
		// with no version in common with ours (a prompt deleted and made
		// again under its name elsewhere).
		return workspace.Version{}, fieldErrorf(".parent", "parent %d does not exist; the parent of version %d is one of versions 1 to %d, or none", fv.Parent, fv.Number, fv.Number-1)
	}
	t, err := parseFileTime(fv.Time)
	if err != nil {
		return workspace.Version{}, fieldErrorf(".time", "%v", err)
	}
	if len(fv.Messages) > lim.Messages {
		return workspace.Version{}, fieldErrorf(".messages", "%d messages; at most %d", len(fv.Messages), lim.Messages)
	}
	for j, m := range fv.Messages {
		if len(m.Content) > lim.TextBytes {
			return workspace.Version{}, fieldErrorf(fmt.Sprintf(".messages[%d].content", j), "%d bytes; one message text is limited to %s in an import file", len(m.Content), workspace.SizeText(int64(lim.TextBytes)))
		}
	}
	if len(fv.Message) > lim.TextBytes {
		return workspace.Version{}, fieldErrorf(".message", "%d bytes; a commit message is limited to %s", len(fv.Message), workspace.SizeText(int64(lim.TextBytes)))
	}
	cfg, err := fv.ModelConfigYAML.Config()
	if err != nil {
		return workspace.Version{}, fieldErrorf(".response_format", "%v", err)
	}
	if err := workspace.ValidateContent(fv.Messages, cfg); err != nil {
		return workspace.Version{}, fieldErrorf(".messages", "%v", err)
	}
	variables, err := vars.variables(fv.Messages)
	if err != nil {
		return workspace.Version{}, fieldErrorf(".messages", "%v", err)
	}
	if !isHash(fv.Hash) {
		return workspace.Version{}, fieldErrorf(".hash", "hash %q is not 64 lowercase hex digits (sha256)", fv.Hash)
	}
	if sum := workspace.ContentHash(fv.Messages, cfg); sum != fv.Hash {
		return workspace.Version{}, fieldErrorf(".hash", "hash %s does not match the version's content, which hashes to %s; the messages or model config were changed after export", fv.Hash[:12], sum[:12])
	}
	v := workspace.Version{
		Prompt:    name,
		Number:    fv.Number,
		Hash:      fv.Hash,
		Parent:    fv.Parent,
		Messages:  fv.Messages,
		Config:    cfg,
		Variables: variables,
		Scorers:   slices.Clip(fv.Scorers),
		Message:   fv.Message,
		Author:    fv.Author,
		Time:      t,
	}
	if field := workspace.VersionSecret(v); field != "" {
		return workspace.Version{}, fieldErrorf("."+field, "holds what looks like an API key (sk-…, ghp_…, xoxb-…, AKIA…); keys belong in environment variables, not in the library")
	}
	return v, nil
}

// parseFileTime reads an RFC 3339 time.
func parseFileTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("missing time")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q is not RFC 3339 (e.g. 2026-11-01T12:00:00Z)", s)
	}
	return t.UTC(), nil
}

// versionID identifies a version across workspaces: numbers change when
// diverging lines are merged, content, author and time do not.
func versionID(v workspace.Version) string {
	return v.Hash + "\x00" + v.Author + "\x00" + workspace.FormatExportTime(v.Time)
}

// templateCache holds the variables of each message text already parsed:
// the versions of a prompt mostly repeat most of their messages. The
// workers decoding versions share one, hence the lock. Its keys share the
// import file's memory, so it is emptied once they add up to
// templateCacheBytes.
type templateCache struct {
	mu    sync.Mutex
	m     map[string][]string
	bytes int
}

const templateCacheBytes = 4 << 20

func (c *templateCache) get(text string) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	vs, ok := c.m[text]
	return vs, ok
}

func (c *templateCache) put(text string, vs []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.bytes+len(text) > templateCacheBytes {
		c.m, c.bytes = map[string][]string{}, 0
	}
	c.m[text] = vs
	c.bytes += len(text)
}

// variables derives the sorted variables of msgs, as parseMessages does.
func (c *templateCache) variables(msgs []workspace.Message) ([]string, error) {
	var out []string
	for i, m := range msgs {
		vs, ok := c.get(m.Content)
		if !ok {
			t, err := template.Parse(m.Content)
			if err != nil {
				return nil, workspace.Invalidf("messages[%d] (%s): %v", i, m.Role, err)
			}
			vs = t.Variables()
			c.put(m.Content, vs)
		}
		out = append(out, vs...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// lineOfWord is the first line from line from on (1 when 0) that holds
// word, or from when none does: keys are plain words, which YAML writes as
// they are, so the line found is the field's.
func lineOfWord(data []byte, from int, word string) int {
	if word == "" {
		return from
	}
	n := 1
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		if n >= from && bytes.Contains(line, []byte(word)) {
			return n
		}
		data, n = rest, n+1
	}
	return from
}
