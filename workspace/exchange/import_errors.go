package exchange

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"promptbench/workspace"
)

// lineOf finds the line of the node at path (0 when it cannot).
func lineOf(root ast.Node, path string) int {
	p, err := yaml.PathString(path)
	if err != nil {
		return 0
	}
	n, err := p.FilterNode(root)
	if err != nil || n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

// fieldError is a validation error at a path inside one prompt.
type fieldError struct {
	path string // below the prompt, e.g. ".versions[2].hash"
	msg  string
}

func fieldErrorf(path, format string, args ...any) *fieldError {
	return &fieldError{path: path, msg: fmt.Sprintf(format, args...)}
}

// at places the error: the file, the line of the field (or of the nearest
// enclosing node found) and the field's name. lookup is the path of the
// enclosing node in root (e.g. "$[0]" for a piece holding one item), shown
// its name for the user ("versions[3]", or "" for a prompt).
func (e *fieldError) at(name string, root ast.Node, offset int, lookup, shown string) error {
	line := 0
	for p := lookup + e.path; p != "$" && line == 0; p = trimPath(p) {
		line = lineOf(root, p)
	}
	field := strings.TrimPrefix(shown+e.path, ".")
	if line == 0 {
		return workspace.Invalidf("%s: %s: %s", name, field, e.msg)
	}
	return workspace.Invalidf("%s:%d: %s: %s", name, line+offset, field, e.msg)
}

// placer turns a field error into an error naming file, line and field.
type placer func(*fieldError) error

func trimPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return "$"
	}
	return p[:i]
}
