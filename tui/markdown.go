package tui

import (
	"regexp"
	"strings"

	"charm.land/glamour/v2"
	"github.com/charmbracelet/x/ansi"

	"promptbench/themes"
)

// markdown renders prompt text with glamour: one renderer per (theme,
// width), output cached by (content, width, theme). A renderer is used
// from Update only, never concurrently.
type markdown struct {
	renderers map[int]*glamour.TermRenderer // by width, for the current theme
	cache     map[mdKey]string
}

type mdKey struct {
	content string // the text itself: map hashing is the content hash
	width   int
}

// mdCacheMax bounds the cache; it is dropped whole when full (a library
// browsed for a day stays small, and re-rendering is only slow-ish).
const mdCacheMax = 512

func newMarkdown() *markdown {
	return &markdown{renderers: map[int]*glamour.TermRenderer{}, cache: map[mdKey]string{}}
}

// reset forgets renderers and output after a theme change.
func (md *markdown) reset() {
	clear(md.renderers)
	clear(md.cache)
}

// render renders sanitised text at width with the theme's style. Mustache
// tags are kept out of glamour's way behind private-use markers and drawn
// in their own styles afterwards; on failure the plain text is shown.
func (md *markdown) render(st themes.Styles, text string, width int) string {
	width = max(width, 10)
	k := mdKey{content: text, width: width}
	if out, ok := md.cache[k]; ok {
		return out
	}
	r, ok := md.renderers[width]
	if !ok {
		var err error
		r, err = glamour.NewTermRenderer(glamour.WithStyles(st.Markdown), glamour.WithWordWrap(width), glamour.WithPreservedNewLines())
		if err != nil {
			return text
		}
		md.renderers[width] = r
	}
	out, err := r.Render(hideTags(text))
	if err != nil {
		out = text
	}
	out = showTags(st, strings.Trim(out, "\n"))
	if len(md.cache) >= mdCacheMax {
		clear(md.cache)
	}
	md.cache[k] = out
	return out
}

// Private-use characters stand in for "{{" and "}}" while glamour works:
// two each, so that widths and wrapping do not change, and inner spaces
// become no-break spaces so that a tag is never wrapped apart.
const (
	tagOpen  = "\ue000\ue000"
	tagClose = "\ue001\ue001"
)

// tagPattern finds mustache tags: {{name}}, {{> include}}, {{#s}}, {{/s}},
// {{^s}}, {{! comment }}, {{{raw}}}.
var tagPattern = regexp.MustCompile(`\{\{\{?[^{}]*\}?\}\}`)

// hiddenTag finds a tag behind markers in glamour's output, which may
// have split it into several styled pieces (at "!", say, or in code).
var hiddenTag = regexp.MustCompile("\ue000\ue000[^\ue000\ue001\n]*?\ue001\ue001")

func hideTags(s string) string {
	return tagPattern.ReplaceAllStringFunc(s, func(tag string) string {
		inner := strings.TrimSuffix(strings.TrimPrefix(tag, "{{"), "}}")
		return tagOpen + strings.ReplaceAll(inner, " ", "\u00a0") + tagClose
	})
}

func showTags(st themes.Styles, s string) string {
	s = hiddenTag.ReplaceAllStringFunc(s, func(hidden string) string {
		inner := ansi.Strip(hidden[len(tagOpen) : len(hidden)-len(tagClose)])
		inner = strings.ReplaceAll(inner, "\u00a0", " ")
		tag := "{{" + inner + "}}"
		switch t := strings.TrimLeft(inner, "{"); {
		case strings.HasPrefix(t, ">"):
			return st.Prompt.Include.Render(tag)
		case strings.HasPrefix(t, "!"):
			return st.Base.Muted.Render(tag)
		}
		return st.Prompt.Variable.Render(tag)
	})
	// A tag glamour split (inside highlighted code) is shown plainly.
	return strings.NewReplacer("\ue000", "{", "\ue001", "}").Replace(s)
}
