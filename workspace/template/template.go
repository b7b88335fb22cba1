// Package template renders prompt message contents: mustache without lambdas
// and without HTML escaping (prompts are not HTML), with strict name lookup.
//
// A template is parsed once and rendered many times; a parsed *Template is
// immutable and safe for concurrent use. Data is JSON-like: map[string]any,
// []any, string, float64 and other Go numbers, json.Number, bool and nil
// (plus []string, []map[string]any and map[string]string for callers that
// build data in Go). Maps and lists used as variables render as compact JSON.
//
// Rendering is strict: every name the rendering looks up and cannot resolve
// is reported, all together, in one *MissingError. JSON null is present: it
// renders empty and is falsy. As in the mustache spec only false, null and the
// empty list are falsy; an empty string or 0 is truthy.
package template

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// MaxDepth is how deeply includes may nest before rendering gives up with
// ErrTooDeep; it guards against resolvers that mint a new key every time.
const MaxDepth = 32

// ErrTooDeep is wrapped by the error of an include nested deeper than MaxDepth.
var ErrTooDeep = errors.New("includes nested too deeply")

// Template is a parsed template.
type Template struct {
	src      string
	nodes    []node
	vars     []string
	partials []string
}

// Resolver returns the parsed template of a partial reference such as
// "footer" or "footer@3", and a key naming the included thing (the prompt
// name) by which include cycles are detected.
type Resolver func(ref string) (key string, t *Template, err error)

// Result is a successful rendering.
type Result struct {
	Text string
	// Unused holds the top-level keys of the data that nothing looked up,
	// sorted; callers report them as warnings.
	Unused []string
}

// SyntaxError is a parse error at a 1-based line and column (in runes).
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// MissingError lists every name a rendering could not resolve, as written
// (`customer.name`), sorted and unique, including those of included templates.
type MissingError struct {
	Names []string
}

func (e *MissingError) Error() string {
	return "missing variables: " + strings.Join(e.Names, ", ")
}

// CycleError is an include cycle; Chain names the includes from the
// outermost known key to the repeated one, e.g. [a b a].
type CycleError struct {
	Chain []string
}

func (e *CycleError) Error() string {
	return "include cycle: " + strings.Join(e.Chain, " -> ")
}

// Variables returns the top-level variable names the template can look up,
// sorted and unique: "customer" for {{customer.name}}, and for
// {{#items}}{{title}}{{/items}} only "items", since names inside a section
// may resolve against its item. Inverted sections push no context, so the
// names inside them count. Partials are not followed; see Partials.
func (t *Template) Variables() []string {
	return slices.Clone(t.vars)
}

// Partials returns the partial references the template contains, as written
// ("footer", "footer@3"), sorted and unique.
func (t *Template) Partials() []string {
	return slices.Clone(t.partials)
}

// collect gathers the top-level variable names and all partial references.
// top is false inside a section, whose names may come from the item.
func collect(ns []node, top bool, vars, partials map[string]struct{}) {
	for i := range ns {
		n := &ns[i]
		switch n.kind {
		case varNode, sectionNode, invertedNode:
			if top && n.path != nil {
				vars[n.path[0]] = struct{}{}
			}
			if n.kind != varNode {
				collect(n.children, top && n.kind == invertedNode, vars, partials)
			}
		case partialNode:
			partials[n.text] = struct{}{}
		}
	}
}

func sortedKeys(m map[string]struct{}) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
