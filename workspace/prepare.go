package workspace

import (
	"context"

	"promptbench/storage"
	"promptbench/workspace/template"
)

// Prepared is a version resolved once, with every prompt it includes, so
// that it renders any number of times without the store: an evaluation
// renders it once per dataset row, the terminal UI once per run. It is a
// snapshot: later commits and label moves do not change it.
type Prepared struct {
	Prompt  Prompt
	Version Version

	messages []*template.Template // parsed once; nil where parsing failed
	parseErr error
	includes map[string]preparedInclude // by the ref as written
}

type preparedInclude struct {
	key string
	t   *template.Template
	err error
}

// Prepare resolves ref and the prompts its messages include, transitively,
// in one read of the store.
func (ws *Workspace) Prepare(ctx context.Context, ref string) (*Prepared, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return nil, err
	}
	var p *Prepared
	err = ws.view(ctx, func(tx *storage.Tx) error {
		prompt, v, err := resolveRef(tx, r)
		if err != nil {
			return err
		}
		p = prepareVersion(prompt, v, txResolver(tx, v.Prompt))
		return nil
	})
	return p, err
}

// prepareVersion parses v's messages and resolves every include they reach
// with resolve; failures are kept and reported by Render, as a render in
// the store reports them.
func prepareVersion(prompt Prompt, v Version, resolve template.Resolver) *Prepared {
	p := &Prepared{Prompt: prompt, Version: v, includes: map[string]preparedInclude{}}
	var pending []string
	for i, m := range v.Messages {
		t, err := template.Parse(m.Content)
		if err != nil {
			p.parseErr = Invalidf("%s@%d messages[%d]: %v", v.Prompt, v.Number, i, err)
			return p
		}
		p.messages = append(p.messages, t)
		pending = append(pending, t.Partials()...)
	}
	for len(pending) > 0 {
		raw := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		if _, done := p.includes[raw]; done {
			continue
		}
		key, t, err := resolve(raw)
		p.includes[raw] = preparedInclude{key: key, t: t, err: err}
		if err == nil && t != nil {
			pending = append(pending, t.Partials()...)
		}
	}
	return p
}

// Render fills the version's templates with vars, under the same rules as
// Workspace.Render: strict, every missing name in one *MissingVariablesError.
func (p *Prepared) Render(vars map[string]any) (Rendered, error) {
	if p.parseErr != nil {
		return Rendered{}, p.parseErr
	}
	msgs, unused, err := renderParsed(p.Version, p.messages, vars, p.resolve)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Prompt: p.Prompt, Version: p.Version, Messages: msgs, Unused: unused}, nil
}

func (p *Prepared) resolve(raw string) (string, *template.Template, error) {
	inc, ok := p.includes[raw]
	if !ok {
		return "", nil, notFoundf("include %s was not resolved when %s@%d was prepared", raw, p.Version.Prompt, p.Version.Number)
	}
	return inc.key, inc.t, inc.err
}
