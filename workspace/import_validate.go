package workspace

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"time"

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

// validatePrompt checks one prompt of an export file on its own: name,
// tags, version numbering, parents, hashes against content, templates and
// labels.
func validatePrompt(fp filePrompt) (parsedPrompt, *fieldError) {
	p := parsedPrompt{name: fp.Name, description: fp.Description}
	if err := ValidateName(fp.Name); err != nil {
		return p, fieldErrorf(".name", "%v", err)
	}
	if looksLikeSecretIn(fp.Description) {
		return p, fieldErrorf(".description", "holds what looks like an API key; keys belong in environment variables, not in the library")
	}
	for i, s := range fp.Tags {
		t, err := ParseTag(s)
		if err != nil {
			return p, fieldErrorf(fmt.Sprintf(".tags[%d]", i), "%v", err)
		}
		p.tags = append(p.tags, t)
	}
	p.tags = SortTags(p.tags)
	if len(fp.Versions) == 0 {
		return p, fieldErrorf(".versions", "prompt %s has no versions; every prompt has at least one", fp.Name)
	}
	if len(fp.Versions) > maxPromptVersions {
		return p, fieldErrorf(".versions", "%d versions; at most %d per prompt", len(fp.Versions), maxPromptVersions)
	}
	seen := make(map[string]int, len(fp.Versions))
	vars := templateCache{}
	p.versions = make([]Version, 0, len(fp.Versions))
	for i, fv := range fp.Versions {
		v, ferr := validateVersion(fp.Name, i, fv, vars)
		if ferr != nil {
			return p, ferr
		}
		id := versionID(v)
		if prev, dup := seen[id]; dup {
			return p, fieldErrorf(fmt.Sprintf(".versions[%d]", i), "version %d repeats version %d (same hash, author and time)", v.Number, prev)
		}
		seen[id] = v.Number
		p.versions = append(p.versions, v)
	}
	if fp.Created == "" {
		p.created = p.versions[0].Time
	} else {
		t, err := parseFileTime(fp.Created)
		if err != nil {
			return p, fieldErrorf(".created", "%v", err)
		}
		p.created = t
	}
	if len(fp.Labels) > maxLabels {
		return p, fieldErrorf(".labels", "%d labels; at most %d per prompt", len(fp.Labels), maxLabels)
	}
	n := len(p.versions)
	for _, name := range slices.Sorted(maps.Keys(fp.Labels)) {
		fl := fp.Labels[name]
		path := ".labels." + name
		if err := ValidateLabel(name); err != nil {
			return p, fieldErrorf(path, "%v", err)
		}
		if fl.Version < 1 || fl.Version > n {
			return p, fieldErrorf(path+".version", "label %s points at version %d, which does not exist (versions 1 to %d)", name, fl.Version, n)
		}
		if len(fl.History) > maxLabelHistory {
			return p, fieldErrorf(path+".history", "%d moves; at most %d", len(fl.History), maxLabelHistory)
		}
		l := parsedLabel{name: name, version: fl.Version}
		for j, m := range fl.History {
			hp := fmt.Sprintf("%s.history[%d]", path, j)
			if m.Version < 1 || m.Version > n {
				return p, fieldErrorf(hp+".version", "version %d does not exist (versions 1 to %d)", m.Version, n)
			}
			t, err := parseFileTime(m.Time)
			if err != nil {
				return p, fieldErrorf(hp+".time", "%v", err)
			}
			l.history = append(l.history, parsedMove{version: m.Version, author: m.Author, time: t})
		}
		p.labels = append(p.labels, l)
	}
	return p, nil
}

func validateVersion(name string, i int, fv fileVersion, vars templateCache) (Version, *fieldError) {
	path := fmt.Sprintf(".versions[%d]", i)
	switch {
	case fv.Number == 0:
		return Version{}, fieldErrorf(path+".number", "missing version number")
	case fv.Number <= i:
		return Version{}, fieldErrorf(path+".number", "duplicate version number %d; versions are numbered 1, 2, 3, … in order", fv.Number)
	case fv.Number != i+1:
		return Version{}, fieldErrorf(path+".number", "version number %d out of order; expected %d (versions are numbered 1, 2, 3, … in order)", fv.Number, i+1)
	}
	switch {
	case fv.Number == 1 && fv.Parent != 0:
		return Version{}, fieldErrorf(path+".parent", "parent %d does not exist; version 1 has no parent", fv.Parent)
	case fv.Number > 1 && (fv.Parent < 1 || fv.Parent >= fv.Number):
		return Version{}, fieldErrorf(path+".parent", "parent %d does not exist; the parent of version %d is one of versions 1 to %d", fv.Parent, fv.Number, fv.Number-1)
	}
	t, err := parseFileTime(fv.Time)
	if err != nil {
		return Version{}, fieldErrorf(path+".time", "%v", err)
	}
	if len(fv.Messages) > maxMessages {
		return Version{}, fieldErrorf(path+".messages", "%d messages; at most %d", len(fv.Messages), maxMessages)
	}
	cfg := ModelConfig{
		Model:       fv.Model,
		Temperature: fv.Temperature,
		TopP:        fv.TopP,
		MaxTokens:   fv.MaxTokens,
		Stop:        fv.Stop,
		Seed:        fv.Seed,
	}
	rf, err := fv.ResponseFormat.toConfig()
	if err != nil {
		return Version{}, fieldErrorf(path+".response_format", "%v", err)
	}
	cfg.ResponseFormat = rf
	if err := ValidateContent(fv.Messages, cfg); err != nil {
		return Version{}, fieldErrorf(path+".messages", "%v", err)
	}
	variables, err := vars.variables(fv.Messages)
	if err != nil {
		return Version{}, fieldErrorf(path+".messages", "%v", err)
	}
	if !isHash(fv.Hash) {
		return Version{}, fieldErrorf(path+".hash", "hash %q is not 64 lowercase hex digits (sha256)", fv.Hash)
	}
	if sum := ContentHash(fv.Messages, cfg); sum != fv.Hash {
		return Version{}, fieldErrorf(path+".hash", "hash %s does not match the version's content, which hashes to %s; the messages or model config were changed after export", fv.Hash[:12], sum[:12])
	}
	v := Version{
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
	if field := versionSecret(v); field != "" {
		return Version{}, fieldErrorf(path+"."+field, "holds what looks like an API key (sk-…, ghp_…, xoxb-…, AKIA…); keys belong in environment variables, not in the library")
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
func versionID(v Version) string {
	return v.Hash + "\x00" + v.Author + "\x00" + formatTime(v.Time)
}

// templateCache holds the variables of each message text already parsed:
// the versions of a prompt mostly repeat most of their messages.
type templateCache map[string][]string

// variables derives the sorted variables of msgs, as parseMessages does.
func (c templateCache) variables(msgs []Message) ([]string, error) {
	var out []string
	for i, m := range msgs {
		vs, ok := c[m.Content]
		if !ok {
			t, err := template.Parse(m.Content)
			if err != nil {
				return nil, invalidf("messages[%d] (%s): %v", i, m.Role, err)
			}
			vs = t.Variables()
			c[m.Content] = vs
		}
		out = append(out, vs...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// screenFileSecrets refuses a file whose log entries or runs hold what
// looks like an API key, naming every one and the line of the first, or
// with o.RedactSecrets replaces each such word by [redacted] before
// anything is planned. Values of this workspace's own key variables are
// replaced by their markers first, as when an entry is logged here.
func screenFileSecrets(pf *parsedFile, data []byte, o ImportOptions, own *Redactor) error {
	screen := secretScreen{redact: o.RedactSecrets, onRedact: o.OnRedact}
	for i := range pf.logs {
		l := &pf.logs[i]
		l.Entry = screen.entry(SecretFinding{Prompt: l.Prompt, Version: l.Version, ID: l.ID, Line: l.line}, own.anyValue(l.Entry))
	}
	for i := range pf.runs {
		r := &pf.runs[i]
		r.Entry = screen.entry(SecretFinding{ID: r.ID}, own.anyValue(r.Entry))
	}
	if len(screen.found) > 0 {
		first := &screen.found[0]
		first.Line = lineOfWord(data, first.Line, first.word)
	}
	return screen.err("import", pf.name)
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
