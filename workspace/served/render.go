package served

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"promptbench/workspace/exportfile"
	"promptbench/workspace/template"
)

// DefaultLabel is the label a bare prompt name gets: applications serve
// what was promoted, not the latest commit.
const DefaultLabel = "production"

// Rendered is a version with its templates filled in, ready for a call.
type Rendered struct {
	Prompt  string
	Version int    // 0 for a fallback
	Hash    string // the version's content hash
	// Experiment and Variant name the experiment arm that chose the
	// version (RenderExperiment); empty otherwise.
	Experiment string
	Variant    string
	Messages   []Message
	Config     ModelConfig
	// Unused are supplied variables no message used (a warning, not an
	// error).
	Unused []string
	// Fallback is true when the file could not be loaded and
	// Options.Fallbacks served this prompt.
	Fallback bool
}

// Model is the model name as an OpenAI-compatible server expects it: the
// config's provider/model without the provider ("openai/gpt-4o-mini" →
// "gpt-4o-mini").
func (r Rendered) Model() string {
	if _, m, ok := strings.Cut(r.Config.Model, "/"); ok {
		return m
	}
	return r.Config.Model
}

// Provider is the provider part of the config's model ("openai").
func (r Rendered) Provider() string {
	p, _, _ := strings.Cut(r.Config.Model, "/")
	return p
}

// MissingVariablesError is a render that could not resolve some names:
// all of them, in full ("customer.name"), sorted. It is the workbench's
// type (workspace.MissingVariablesError) too. errors.Is(err, ErrInvalid)
// holds.
type MissingVariablesError = exportfile.MissingVariablesError

// Render renders the version ref names with vars: "name" is the
// production version, "name@staging" another label, "name@3" a number,
// "name@1a2b3c" a hash prefix (6 or more hex digits).
func (l *Library) Render(ref string, vars map[string]any) (Rendered, error) {
	snap := l.cur.Load()
	if snap == nil {
		return l.fallback(ref, vars)
	}
	v, err := snap.resolve(ref)
	if err != nil {
		return Rendered{}, err
	}
	return snap.render(v, vars)
}

func (l *Library) fallback(ref string, vars map[string]any) (Rendered, error) {
	name, _, _ := strings.Cut(ref, "@")
	fb, ok := l.opts.Fallbacks[name]
	if !ok {
		return Rendered{}, notFoundf("prompt %s: the prompts file %s is not loaded and there is no fallback for it", name, l.path)
	}
	v := &version{prompt: name, messages: fb.Messages, config: fb.Config}
	r, err := (&snapshot{}).render(v, vars)
	r.Fallback = true
	return r, err
}

// resolve finds the version ref names.
func (s *snapshot) resolve(ref string) (*version, error) {
	name, at, hasAt := strings.Cut(ref, "@")
	p, ok := s.prompts[name]
	if !ok {
		return nil, notFoundf("prompt %s is not in %s", name, s.path)
	}
	if !hasAt {
		at = DefaultLabel
	}
	if n, ok := p.labels[at]; ok {
		return p.versions[n-1], nil
	}
	if n, err := strconv.Atoi(at); err == nil && n >= 1 && !strings.HasPrefix(at, "+") {
		if n > len(p.versions) {
			return nil, notFoundf("%s has versions 1 to %d, not %d", name, len(p.versions), n)
		}
		return p.versions[n-1], nil
	}
	if len(at) >= 6 && isHex(at) {
		var found *version
		for _, v := range p.versions {
			if strings.HasPrefix(v.hash, at) {
				if found != nil {
					return nil, exportfile.Invalidf("%s: hash prefix %s matches several versions; give more digits", name, at)
				}
				found = v
			}
		}
		if found != nil {
			return found, nil
		}
	}
	labels := make([]string, 0, len(p.labels))
	for l := range p.labels {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	return nil, notFoundf("%s has no label, version or hash %q (labels: %s)", name, at, strings.Join(labels, ", "))
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// render fills every message; the missing names of all messages make one
// error, and a variable is unused only when no message used it.
func (s *snapshot) render(v *version, vars map[string]any) (Rendered, error) {
	if err := v.parse(); err != nil {
		return Rendered{}, err
	}
	if vars == nil {
		vars = map[string]any{}
	}
	out := Rendered{Prompt: v.prompt, Version: v.number, Hash: v.hash, Config: v.config, Messages: make([]Message, len(v.messages))}
	var missing []string
	for i, t := range v.parsed {
		res, err := t.RenderAs(v.prompt, vars, s.include)
		var me *template.MissingError
		switch {
		case errors.As(err, &me):
			missing = append(missing, me.Names...)
			continue
		case err != nil:
			return Rendered{}, exportfile.Invalidf("render %s@%d: %v", v.prompt, v.number, err)
		}
		out.Messages[i] = Message{Role: v.messages[i].Role, Content: res.Text}
		if i == 0 {
			out.Unused = res.Unused
		} else {
			out.Unused = slices.DeleteFunc(out.Unused, func(u string) bool { return !slices.Contains(res.Unused, u) })
		}
	}
	if len(missing) > 0 {
		return Rendered{}, exportfile.MissingVariables(v.prompt, v.number, missing)
	}
	return out, nil
}

// include resolves {{> name}} and {{> name@ref}} from the file: the
// included version's messages joined by blank lines, its production
// version unless the ref names another, as the workbench renders them.
func (s *snapshot) include(ref string) (string, *template.Template, error) {
	if s.prompts == nil {
		return "", nil, notFoundf("include %s: a fallback prompt cannot include others", ref)
	}
	v, err := s.resolve(ref)
	if err != nil {
		return "", nil, err
	}
	if err := v.parse(); err != nil {
		return "", nil, err
	}
	return v.prompt, v.included, nil
}

// Version is a version as the file holds it: templates, not yet rendered.
type Version struct {
	Prompt   string
	Number   int
	Hash     string
	Messages []Message // templates
	Config   ModelConfig
}

// Get returns the version ref names (as Render resolves it) without
// rendering it: to show it, or to check a deployment holds it.
func (l *Library) Get(ref string) (Version, error) {
	snap := l.cur.Load()
	if snap == nil {
		return Version{}, notFoundf("prompt %s: the prompts file %s is not loaded", ref, l.path)
	}
	v, err := snap.resolve(ref)
	if err != nil {
		return Version{}, err
	}
	return Version{Prompt: v.prompt, Number: v.number, Hash: v.hash, Messages: slices.Clone(v.messages), Config: v.config}, nil
}
