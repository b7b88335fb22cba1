package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"promptbench/storage"
	"promptbench/workspace/exportfile"
	"promptbench/workspace/template"
)

// Rendered is a version with its templates filled in.
type Rendered struct {
	Prompt   Prompt
	Version  Version
	Messages []Message
	Unused   []string // supplied variables no message used
}

// Render resolves ref and renders every message with vars. Includes
// resolve inside the same read, so the result is one consistent snapshot.
// All missing variables of all messages are named in one error.
func (ws *Workspace) Render(ctx context.Context, ref string, vars map[string]any) (Rendered, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return Rendered{}, err
	}
	var out Rendered
	err = ws.view(ctx, func(tx *storage.Tx) error {
		p, v, err := resolveRef(tx, r)
		if err != nil {
			return err
		}
		out.Prompt, out.Version = p, v
		msgs, unused, err := renderVersion(v, vars, txResolver(tx, v.Prompt))
		out.Messages, out.Unused = msgs, unused
		return err
	})
	return out, err
}

// renderVersion renders each message; missing names of all messages merge
// into one error, and a variable is unused only when no message used it.
func renderVersion(v Version, vars map[string]any, resolve template.Resolver) ([]Message, []string, error) {
	parsed := make([]*template.Template, len(v.Messages))
	for i, m := range v.Messages {
		t, err := template.Parse(m.Content)
		if err != nil {
			return nil, nil, Invalidf("%s@%d messages[%d]: %v", v.Prompt, v.Number, i, err)
		}
		parsed[i] = t
	}
	return renderParsed(v, parsed, vars, resolve)
}

// renderParsed is renderVersion over templates already parsed.
func renderParsed(v Version, parsed []*template.Template, vars map[string]any, resolve template.Resolver) ([]Message, []string, error) {
	if vars == nil {
		vars = map[string]any{}
	}
	var missing []string
	var unused []string
	out := make([]Message, 0, len(v.Messages))
	for i, m := range v.Messages {
		res, err := parsed[i].RenderAs(v.Prompt, vars, resolve)
		var me *template.MissingError
		switch {
		case errors.As(err, &me):
			missing = append(missing, me.Names...)
			continue
		case err != nil:
			return nil, nil, Invalidf("render %s@%d: %v", v.Prompt, v.Number, err)
		}
		if i == 0 {
			unused = res.Unused
		} else {
			unused = intersect(unused, res.Unused)
		}
		out = append(out, Message{Role: m.Role, Content: res.Text})
	}
	if len(missing) > 0 {
		return nil, nil, exportfile.MissingVariables(v.Prompt, v.Number, missing)
	}
	return out, unused, nil
}

// MissingVariablesError is a render that could not resolve some names:
// all of them, in full ("customer.name"), sorted. It is the one type the
// application library (served) returns too. errors.Is(err, ErrInvalid)
// holds.
type MissingVariablesError = exportfile.MissingVariablesError

func intersect(a, b []string) []string {
	var out []string
	for _, s := range a {
		if slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// txResolver resolves {{> ref}} includes in tx: the included prompt's
// messages joined by blank lines, its production version unless the ref
// names another.
func txResolver(tx *storage.Tx, self string) template.Resolver {
	return func(raw string) (string, *template.Template, error) {
		ref, err := parseIncludeRef(raw)
		if err != nil {
			return "", nil, err
		}
		_, v, err := resolveRef(tx, ref)
		if err != nil {
			return "", nil, err
		}
		parts := make([]string, len(v.Messages))
		for i, m := range v.Messages {
			parts[i] = m.Content
		}
		t, err := template.Parse(strings.Join(parts, "\n\n"))
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", ref, err)
		}
		return ref.Name, t, nil
	}
}
