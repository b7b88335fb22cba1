// Package markdown renders model output and prompts as terminal markdown
// with glamour, cheaply enough to do in a Bubble Tea program: one glamour
// renderer per (style, width), rendered output cached by (content, width,
// style), and a Stream that re-renders only the part of a growing text
// that can still change. Input must already be safe for a terminal
// (termtext.Sanitize): this package does not clean text.
package markdown

import (
	"container/list"
	"crypto/sha256"
	"strings"
	"sync"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
)

// Style is a theme's glamour style under a name that tells it apart in
// the caches: two Styles with the same Name must hold the same Config and
// KeepLines.
type Style struct {
	Name   string
	Config ansi.StyleConfig
	// KeepLines keeps every line break of the text (glamour's
	// WithPreservedNewLines) instead of flowing a paragraph's lines
	// together: prompts are written line by line.
	KeepLines bool
}

// Renderer renders markdown and caches both its glamour renderers and
// their output. A glamour renderer keeps parser state between calls, so
// each one renders for one caller at a time; a Renderer is safe to use
// from several goroutines (a View and a background tea.Cmd).
type Renderer struct {
	mu        sync.Mutex
	renderers map[rendererKey]*termRenderer
	outputs   outputCache
}

type rendererKey struct {
	style string
	width int
}

// termRenderer is a glamour renderer with the lock that keeps its Render
// calls apart.
type termRenderer struct {
	mu sync.Mutex
	tr *glamour.TermRenderer
}

// New returns a Renderer that keeps up to maxOutputs rendered texts.
func New(maxOutputs int) *Renderer {
	return &Renderer{
		renderers: map[rendererKey]*termRenderer{},
		outputs:   outputCache{max: maxOutputs, byKey: map[outputKey]*list.Element{}, order: list.New()},
	}
}

// Render returns text rendered as markdown wrapped to width, with the
// blank lines glamour puts around a document removed. The same text, width
// and style are rendered once. A text glamour cannot render comes back as
// it is.
func (r *Renderer) Render(style Style, width int, text string) string {
	key := outputKey{sum: sha256.Sum256([]byte(text)), width: width, style: style.Name}
	if out, ok := r.cached(key); ok {
		return out
	}
	out := r.render(style, width, text)
	r.mu.Lock()
	r.outputs.put(key, out)
	r.mu.Unlock()
	return out
}

func (r *Renderer) cached(key outputKey) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.outputs.get(key)
}

// render renders without the output cache: a streaming tail is rendered
// once and never again.
func (r *Renderer) render(style Style, width int, text string) string {
	tr := r.renderer(style, width)
	if tr == nil {
		return text
	}
	tr.mu.Lock()
	out, err := tr.tr.Render(text)
	tr.mu.Unlock()
	if err != nil {
		return text
	}
	return trimBlankLines(out)
}

// renderer returns the glamour renderer for style and width, made on first
// use. Nil when glamour refuses the options.
func (r *Renderer) renderer(style Style, width int) *termRenderer {
	width = max(width, 1)
	key := rendererKey{style.Name, width}
	r.mu.Lock()
	defer r.mu.Unlock()
	if tr, ok := r.renderers[key]; ok {
		return tr
	}
	opts := []glamour.TermRendererOption{glamour.WithStyles(style.Config), glamour.WithWordWrap(width)}
	if style.KeepLines {
		opts = append(opts, glamour.WithPreservedNewLines())
	}
	g, err := glamour.NewTermRenderer(opts...)
	if err != nil {
		return nil
	}
	tr := &termRenderer{tr: g}
	r.renderers[key] = tr
	return tr
}

// trimBlankLines drops the lines at either end that show nothing, which
// glamour adds around a document: fragments then join with exactly one
// blank line, and a column does not start with an empty row.
func trimBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	start, end := 0, len(lines)
	for start < end && isBlankLine(lines[start]) {
		start++
	}
	for end > start && isBlankLine(lines[end-1]) {
		end--
	}
	return strings.Join(lines[start:end], "\n")
}

// isBlankLine reports whether a rendered line shows nothing: spaces and
// escape sequences only.
func isBlankLine(line string) bool {
	inEsc := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inEsc:
			// A CSI sequence ends with a byte in 0x40–0x7e after its
			// parameters; glamour writes only CSI (SGR) sequences.
			if c >= 0x40 && c <= 0x7e && c != '[' {
				inEsc = false
			}
		case c == 0x1b:
			inEsc = true
		case c != ' ' && c != '\t':
			return false
		}
	}
	return true
}

type outputKey struct {
	sum   [sha256.Size]byte
	width int
	style string
}

type outputEntry struct {
	key outputKey
	out string
}

// outputCache keeps the most recently used rendered texts.
type outputCache struct {
	max   int
	byKey map[outputKey]*list.Element
	order *list.List // front: most recently used
}

func (c *outputCache) get(key outputKey) (string, bool) {
	el, ok := c.byKey[key]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(el)
	return el.Value.(*outputEntry).out, true
}

func (c *outputCache) put(key outputKey, out string) {
	if c.max <= 0 {
		return
	}
	if el, ok := c.byKey[key]; ok {
		el.Value.(*outputEntry).out = out
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(&outputEntry{key, out})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*outputEntry).key)
	}
}
