package tui

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"

	"promptbench/themes"
	"promptbench/tui/markdown"
)

// renderPrompt renders sanitised prompt text as markdown at width, lines
// kept as written, with the theme's style, through the renderer all panes
// share (one glamour renderer per style and width, output cached).
// Mustache tags are kept out of glamour's way behind private-use markers
// and drawn in their own styles afterwards.
func renderPrompt(c *common, text string, width int) string {
	st := c.styles
	style := markdown.Style{Name: "prompt/" + st.Name + "/" + strconv.FormatBool(st.IsDark), Config: st.Markdown, KeepLines: true}
	return showTags(st, c.md.Render(style, max(width, 10), hideTags(text)))
}

// Private-use characters stand in for "{{" and "}}" while glamour works:
// two each, so that widths and wrapping do not change, and inner spaces
// become no-break spaces so that a tag is never wrapped apart.
const (
	tagOpen  = "\ue000\ue000"
	tagClose = "\ue001\ue001"
)

// tagPattern finds mustache tags: {{name}}, {{> include}}, {{#s}}, {{/s}},
// {{^s}}, {{! comment }}, {{{raw}}}. Compiled when first used, not at
// start-up (as hiddenTag).
var tagPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{\{?[^{}]*\}?\}\}`) })

// hiddenTag finds a tag behind markers in glamour's output, which may
// have split it into several styled pieces (at "!", say, or in code).
var hiddenTag = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile("\ue000\ue000[^\ue000\ue001\n]*?\ue001\ue001")
})

func hideTags(s string) string {
	return tagPattern().ReplaceAllStringFunc(s, func(tag string) string {
		inner := strings.TrimSuffix(strings.TrimPrefix(tag, "{{"), "}}")
		return tagOpen + strings.ReplaceAll(inner, " ", "\u00a0") + tagClose
	})
}

func showTags(st themes.Styles, s string) string {
	s = hiddenTag().ReplaceAllStringFunc(s, func(hidden string) string {
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
