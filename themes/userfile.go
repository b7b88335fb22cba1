package themes

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Overrides are the colours of a user theme file, laid over whichever
// theme is in use, and the theme to use when --theme is not given.
//
//	# ~/.config/promptbench/theme.yaml
//	theme: light          # optional: the default theme
//	accent: "#d75f00"     # any Palette colour: text, muted, subtle, accent,
//	highlight: "214"      # highlight, include, badge, badge_text, select_bg,
//	                      # error, ok, warn; "#rrggbb", "#rgb" or 0–255
type Overrides struct {
	Theme   string
	Colours map[string]string // palette field -> colour
}

// FileName is the user theme file's name in promptbench's config directory.
const FileName = "theme.yaml"

// FileError is a user theme file that cannot be used: file, line and what
// to write instead.
type FileError struct {
	File string
	Line int
	Msg  string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// colourPattern is compiled when a theme file is read, not at start-up.
var colourPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
})

// ParseOverrides reads a user theme file: a mapping of colour names to
// colours, and optionally theme: NAME.
func ParseOverrides(file string, data []byte) (Overrides, error) {
	o := Overrides{Colours: map[string]string{}}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return o, &FileError{File: file, Msg: "not valid YAML: " + firstLine(err.Error())}
	}
	for _, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		m, ok := doc.Body.(*ast.MappingNode)
		if !ok {
			if mv, ok := doc.Body.(*ast.MappingValueNode); ok {
				m = &ast.MappingNode{Values: []*ast.MappingValueNode{mv}}
			} else {
				return o, &FileError{File: file, Line: line(doc.Body), Msg: "want a mapping such as accent: \"#d75f00\""}
			}
		}
		for _, kv := range m.Values {
			if err := o.set(file, kv); err != nil {
				return o, err
			}
		}
	}
	return o, nil
}

func (o *Overrides) set(file string, kv *ast.MappingValueNode) error {
	key := kv.Key.String()
	value := strings.Trim(kv.Value.String(), `"'`)
	at := line(kv.Value)
	if key == "theme" {
		if !Valid(value) {
			return &FileError{File: file, Line: at, Msg: (&UnknownError{Name: value}).Error()}
		}
		o.Theme = value
		return nil
	}
	if _, ok := colourFields(&Palette{})[key]; !ok {
		return &FileError{File: file, Line: line(kv.Key), Msg: fmt.Sprintf("unknown colour %q (colours: %s; and theme)", key, strings.Join(colourNames(), ", "))}
	}
	if n, err := strconv.Atoi(value); err == nil && n >= 0 && n <= 255 {
		o.Colours[key] = value
		return nil
	}
	if !colourPattern().MatchString(value) {
		return &FileError{File: file, Line: at, Msg: fmt.Sprintf("%s: %q is not a colour; write \"#rrggbb\", \"#rgb\" or a number 0–255", key, value)}
	}
	o.Colours[key] = value
	return nil
}

// Apply lays the overrides over a palette.
func (o Overrides) Apply(p Palette) Palette {
	fields := colourFields(&p)
	for k, v := range o.Colours {
		*fields[k] = v
	}
	return p
}

// colourFields maps each colour name of a palette to its field.
func colourFields(p *Palette) map[string]*string {
	return map[string]*string{
		"text": &p.Text, "muted": &p.Muted, "subtle": &p.Subtle, "accent": &p.Accent,
		"highlight": &p.Highlight, "include": &p.Include, "badge": &p.Badge, "badge_text": &p.BadgeText,
		"select_bg": &p.SelectBg, "error": &p.Error, "ok": &p.OK, "warn": &p.Warn,
	}
}

func colourNames() []string {
	return []string{"text", "muted", "subtle", "accent", "highlight", "include", "badge", "badge_text", "select_bg", "error", "ok", "warn"}
}

func line(n ast.Node) int {
	if n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
