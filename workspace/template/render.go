package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Render renders t with data. resolve may be nil when t has no partials.
// Errors are a *MissingError naming every unresolved name, an include error
// wrapped with its ref ("include footer: ..."), a *CycleError, or one
// wrapping ErrTooDeep.
func (t *Template) Render(data map[string]any, resolve Resolver) (Result, error) {
	return t.RenderAs("", data, resolve)
}

// RenderAs is Render for a template that is itself includable under key
// (the prompt name), so that including it again is reported as a cycle.
func (t *Template) RenderAs(key string, data map[string]any, resolve Resolver) (Result, error) {
	r := &renderer{resolve: resolve, root: data}
	r.stack = append(r.stackBuf[:0], data)
	if key != "" {
		r.chain = []string{key}
	}
	r.b.Grow(len(t.src) + len(t.src)/4)
	if err := r.render(t.nodes, ""); err != nil {
		return Result{}, err
	}
	if len(r.missing) > 0 {
		slices.Sort(r.missing)
		return Result{}, &MissingError{Names: slices.Compact(r.missing)}
	}
	return Result{Text: r.b.String(), Unused: r.unused()}, nil
}

type included struct {
	key string
	t   *Template
}

// renderer is the state of one rendering.
type renderer struct {
	b        strings.Builder
	stack    []any // the context stack; stack[0] is the data
	stackBuf [8]any
	root     map[string]any
	used     map[string]struct{} // top-level keys looked up
	usedAll  bool                // {{.}} looked at the whole data
	missing  []string
	resolve  Resolver
	cache    map[string]included // resolutions by ref, so loops resolve once
	chain    []string            // keys of the includes being rendered
	depth    int
	num      [32]byte
}

// render writes ns. A non-empty indent is that of an enclosing standalone
// partial, written at the start of every source line.
func (r *renderer) render(ns []node, indent string) error {
	for i := range ns {
		n := &ns[i]
		if n.lineStart && indent != "" {
			r.b.WriteString(indent)
		}
		switch n.kind {
		case textNode:
			if indent == "" {
				r.b.WriteString(n.text)
			} else {
				r.indented(n.text, indent)
			}
		case varNode:
			v, ok := r.lookup(n)
			if !ok {
				r.missing = append(r.missing, n.text)
				continue
			}
			if err := r.value(v); err != nil {
				return fmt.Errorf("render %s: %w", n.text, err)
			}
		case sectionNode, invertedNode:
			if err := r.section(n, indent); err != nil {
				return err
			}
		case partialNode:
			if err := r.partial(n, indent); err != nil {
				return err
			}
		}
	}
	return nil
}

// indented writes s with indent after each line ending that more text
// follows; a following node at a line start writes its own.
func (r *renderer) indented(s, indent string) {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 || i == len(s)-1 {
			r.b.WriteString(s)
			return
		}
		r.b.WriteString(s[:i+1])
		r.b.WriteString(indent)
		s = s[i+1:]
	}
}

func (r *renderer) section(n *node, indent string) error {
	v, ok := r.lookup(n)
	if !ok {
		r.missing = append(r.missing, n.text)
		return nil
	}
	if n.kind == invertedNode {
		if truthy(v) {
			return nil
		}
		return r.body(n, indent)
	}
	switch list := v.(type) {
	case []any:
		return each(r, n, indent, list)
	case []map[string]any:
		return each(r, n, indent, list)
	case []string:
		return each(r, n, indent, list)
	}
	if !truthy(v) {
		return nil
	}
	return r.with(n, indent, v)
}

func each[T any](r *renderer, n *node, indent string, list []T) error {
	for _, item := range list {
		if err := r.with(n, indent, item); err != nil {
			return err
		}
	}
	return nil
}

// with renders the section body with ctx pushed on the context stack.
func (r *renderer) with(n *node, indent string, ctx any) error {
	r.stack = append(r.stack, ctx)
	err := r.body(n, indent)
	r.stack = r.stack[:len(r.stack)-1]
	return err
}

func (r *renderer) body(n *node, indent string) error {
	if err := r.render(n.children, indent); err != nil {
		return err
	}
	if n.closeLineStart && indent != "" {
		r.b.WriteString(indent)
	}
	return nil
}

func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case []any:
		return len(x) > 0
	case []map[string]any:
		return len(x) > 0
	case []string:
		return len(x) > 0
	}
	return true
}

// lookup resolves a name the spec's way: the first part against the context
// stack from the top, the rest each against the former result only.
func (r *renderer) lookup(n *node) (any, bool) {
	top := len(r.stack) - 1
	if n.path == nil {
		if top == 0 {
			r.usedAll = true
		}
		return r.stack[top], true
	}
	for i := top; i >= 0; i-- {
		v, ok := field(r.stack[i], n.path[0])
		if !ok {
			continue
		}
		if i == 0 {
			if r.used == nil {
				r.used = make(map[string]struct{}, len(r.root))
			}
			r.used[n.path[0]] = struct{}{}
		}
		for _, part := range n.path[1:] {
			if v, ok = field(v, part); !ok {
				return nil, false
			}
		}
		return v, true
	}
	return nil, false
}

func field(ctx any, key string) (any, bool) {
	switch m := ctx.(type) {
	case map[string]any:
		v, ok := m[key]
		return v, ok
	case map[string]string:
		v, ok := m[key]
		return v, ok
	}
	return nil, false
}

func (r *renderer) unused() []string {
	if r.usedAll {
		return nil
	}
	var out []string
	for k := range r.root {
		if _, ok := r.used[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// value writes v as JSON would show it, without quotes around strings.
func (r *renderer) value(v any) error {
	switch x := v.(type) {
	case nil:
	case string:
		r.b.WriteString(x)
	case json.Number:
		r.b.WriteString(string(x))
	case bool:
		r.b.WriteString(strconv.FormatBool(x))
	case float64:
		r.b.Write(appendFloat(r.num[:0], x, 64))
	case float32:
		r.b.Write(appendFloat(r.num[:0], float64(x), 32))
	case int:
		r.b.Write(strconv.AppendInt(r.num[:0], int64(x), 10))
	case int64:
		r.b.Write(strconv.AppendInt(r.num[:0], x, 10))
	case int32:
		r.b.Write(strconv.AppendInt(r.num[:0], int64(x), 10))
	case uint64:
		r.b.Write(strconv.AppendUint(r.num[:0], x, 10))
	default:
		// Maps and lists: compact JSON reads well in a prompt, Go syntax not.
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		r.b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	return nil
}

// appendFloat formats f the way encoding/json does: 3, 1.5, 1e+21, 1e-7.
func appendFloat(b []byte, f float64, bits int) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
			bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// JSON writes e-7, strconv e-07.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

func (r *renderer) partial(n *node, indent string) error {
	if r.depth >= MaxDepth {
		return fmt.Errorf("include %s: %w (more than %d)", n.text, ErrTooDeep, MaxDepth)
	}
	inc, err := r.include(n.text)
	if err != nil {
		return fmt.Errorf("include %s: %w", n.text, err)
	}
	if slices.Contains(r.chain, inc.key) {
		return &CycleError{Chain: append(slices.Clone(r.chain), inc.key)}
	}
	// A standalone partial indents every line it renders; an inline one
	// continues the line it is on and indents nothing.
	if n.standalone {
		indent += n.indent
	} else {
		indent = ""
	}
	r.chain = append(r.chain, inc.key)
	r.depth++
	start := r.b.Len()
	err = r.render(inc.t.nodes, indent)
	r.depth--
	r.chain = r.chain[:len(r.chain)-1]
	if err == nil && n.standalone {
		r.endLine(start, n.eol)
	}
	return err
}

// endLine finishes the output of a standalone partial that began at start.
// A prompt's text has no final newline (commit drops the file's), so the
// spec's rules would run it into the line after the include; here the
// include's line keeps its own ending eol. An include that rendered
// nothing but its indentation leaves no line at all, as the spec's
// standalone tags do.
func (r *renderer) endLine(start int, eol string) {
	out := r.b.String()
	switch {
	case len(out) == start || out[len(out)-1] == '\n':
	case blank(out[start:]):
		r.b.Reset() // rare: rebuild without the stray indentation
		r.b.WriteString(out[:start])
	case eol != "":
		r.b.WriteString(eol)
	}
}

func (r *renderer) include(ref string) (included, error) {
	if inc, ok := r.cache[ref]; ok {
		return inc, nil
	}
	if r.resolve == nil {
		return included{}, errors.New("no resolver for partials")
	}
	key, t, err := r.resolve(ref)
	if err != nil {
		return included{}, err
	}
	if t == nil {
		return included{}, errors.New("resolver returned no template")
	}
	if key == "" {
		key = ref
	}
	if r.cache == nil {
		r.cache = make(map[string]included)
	}
	inc := included{key: key, t: t}
	r.cache[ref] = inc
	return inc, nil
}
