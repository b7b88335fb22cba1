package markdown

import "strings"

// Stream renders one text that grows, a model's output as it streams in:
// the blocks that can no longer change are rendered once and kept, and
// each call re-renders only the tail after them. Where no safe cut
// exists yet (an open code fence, list or table) the tail is everything
// after the last safe cut, or the whole text. One Stream per text;
// use it from one goroutine.
type Stream struct {
	r      *Renderer
	style  string
	width  int
	stable string    // the text before the last safe cut
	lines  []string  // its rendering, line by line
	state  scanState // the scan state at the cut
}

// NewStream returns a Stream that renders through r's glamour renderers.
func (r *Renderer) NewStream() *Stream { return &Stream{r: r} }

// Render returns text rendered as markdown at width. text normally extends
// the text of the previous call; anything else (and a new width or style)
// starts over.
func (s *Stream) Render(style Style, width int, text string) string {
	return strings.Join(s.Lines(style, width, text), "\n")
}

// Lines is Render as lines, for a view that shows the end of a long
// output: the stable part is shared between calls and not copied, so a
// flush costs the tail's rendering, not the whole text's. The caller must
// not modify the slice.
func (s *Stream) Lines(style Style, width int, text string) []string {
	if !s.advance(style, width, text) {
		// A link definition may change any text before it: render
		// whole, keep nothing (the scan finds no cut after it).
		return splitLines(s.r.render(style, width, text))
	}
	if len(s.stable) == len(text) {
		return s.lines[:len(s.lines):len(s.lines)]
	}
	// The full slice expression makes append copy instead of writing
	// into the stable lines' spare capacity.
	return appendBlock(s.lines[:len(s.lines):len(s.lines)], s.r.render(style, width, text[len(s.stable):]))
}

// Stable renders only the blocks of text that can no longer change and
// returns their lines, shared between calls like those of Lines, and the
// rest of the text, unrendered: a view shows that as plain text while it
// streams and renders the whole once the stream ends.
func (s *Stream) Stable(style Style, width int, text string) (lines []string, rest string) {
	if !s.advance(style, width, text) {
		return nil, text
	}
	return s.lines[:len(s.lines):len(s.lines)], text[len(s.stable):]
}

// advance moves the stable prefix as far into text as is safe, rendering
// what it adds; false when nothing of text may be rendered apart.
func (s *Stream) advance(style Style, width int, text string) bool {
	if style.Name != s.style || width != s.width || !strings.HasPrefix(text, s.stable) {
		*s = Stream{r: s.r, style: style.Name, width: width}
	}
	cut, st, defines := nextBoundary(text, len(s.stable), s.state)
	if defines {
		*s = Stream{r: s.r, style: style.Name, width: width}
		return false
	}
	if cut > len(s.stable) {
		s.lines = appendBlock(s.lines, s.r.render(style, width, text[len(s.stable):cut]))
		s.stable, s.state = text[:cut], st
	}
	return true
}

// appendBlock adds a rendered fragment one blank line after the lines
// before it, as glamour separates blocks.
func appendBlock(lines []string, rendered string) []string {
	if rendered == "" {
		return lines
	}
	if len(lines) > 0 {
		lines = append(lines, "")
	}
	return append(lines, strings.Split(rendered, "\n")...)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
