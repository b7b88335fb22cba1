package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	gojson "github.com/goccy/go-json"

	"promptbench/tui/termtext"
)

// text prepares stored or model text (a prompt, a rendered message, a
// model's answer, a description) for stdout: the exact bytes to a pipe or a
// file, so that other programs get what was stored; sanitised on a
// terminal, which would obey the escape sequences in it.
func (a *app) text(s string) string {
	if a.terminal {
		return termtext.Sanitize(s)
	}
	return s
}

// printText writes text as a block: a.text(s) and a newline unless it ends
// with one.
func (a *app) printText(w io.Writer, s string) {
	s = a.text(s)
	io.WriteString(w, s)
	if !strings.HasSuffix(s, "\n") {
		io.WriteString(w, "\n")
	}
}

// textStream writes text that arrives in pieces (a streamed answer) the
// way printText writes a whole one: exact to a pipe, sanitised on a
// terminal with the sanitiser's place kept between pieces.
type textStream struct {
	w     io.Writer
	san   *termtext.Stream // nil: exact
	wrote bool             // something was written
	nl    bool             // and it ended with a newline
}

func (a *app) newTextStream(w io.Writer) *textStream {
	t := &textStream{w: w}
	if a.terminal {
		t.san = &termtext.Stream{}
	}
	return t
}

func (t *textStream) write(piece string) {
	if t.san != nil {
		piece = t.san.Feed(piece)
	}
	t.put(piece)
}

func (t *textStream) put(s string) {
	if s == "" {
		return
	}
	io.WriteString(t.w, s)
	t.wrote, t.nl = true, s[len(s)-1] == '\n'
}

// end finishes the text: what the sanitiser held back, then a newline
// unless the text was empty or ended with one.
func (t *textStream) end() {
	if t.san != nil {
		t.put(t.san.Flush())
	}
	if t.wrote && !t.nl {
		t.put("\n")
	}
}

// colorOn tells whether w shows colour: a colour terminal, without
// --no-color or NO_COLOR.
func (a *app) colorOn(w io.Writer) bool {
	if a.noColor || a.getenv("NO_COLOR") != "" {
		return false
	}
	return colorprofile.Detect(w, a.environ) > colorprofile.ASCII
}

// out is stdout: through a colour-profile writer on a colour terminal,
// which downsamples the styles to what it supports, and bare otherwise,
// where styles() gives plain styles so that nothing needs stripping.
func (a *app) out() io.Writer {
	if !a.colorOn(a.Out) {
		return a.Out
	}
	return colorprofile.NewWriter(a.Out, a.environ)
}

// styles are the output styles for stdout: none when it shows no colour.
func (a *app) styles() styles {
	if !a.colorOn(a.Out) {
		return styles{}
	}
	return newStyles()
}

// errOut is stderr through a colour-profile writer, like out.
func (a *app) errOut() io.Writer {
	w := colorprofile.NewWriter(a.Err, a.environ)
	if a.noColor || a.getenv("NO_COLOR") != "" {
		w.Profile = colorprofile.NoTTY
	}
	return w
}

// styles of the command line's output, built once per command.
type styles struct {
	title, dim, label, tag, add, del, hunk, warn lipgloss.Style
}

func newStyles() styles {
	s := lipgloss.NewStyle()
	return styles{
		title: s.Bold(true),
		dim:   s.Foreground(lipgloss.Color("8")),
		label: s.Foreground(lipgloss.Color("2")).Bold(true),
		tag:   s.Foreground(lipgloss.Color("6")),
		add:   s.Foreground(lipgloss.Color("2")),
		del:   s.Foreground(lipgloss.Color("1")),
		hunk:  s.Foreground(lipgloss.Color("6")),
		warn:  s.Foreground(lipgloss.Color("3")),
	}
}

func writeJSON(w io.Writer, v any) error {
	// goccy/go-json writes the same bytes as encoding/json (keys in field
	// order, maps sorted, HTML escaped) without encoding/json's second
	// pass over the whole output to indent it: `list --json` of 10,000
	// prompts spent half its time there. Buffered: one write per 64 KB.
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := gojson.NewEncoder(bw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// jsonArray is a JSON array made one item at a time, as writeJSON writes
// a slice of them, each item appended straight into the text (as
// MarshalIndent(item, "  ", "  ") would write it): encoding 10,000 prompts
// by reflection took longer than reading them. The text is kept in blocks
// of about 64 KB rather than one buffer grown by copying.
type jsonArray struct {
	blocks [][]byte
	n      int
}

const jsonBlock = 64 << 10

// add appends an item that item appends to b.
func (j *jsonArray) add(item func(b []byte) ([]byte, error)) error {
	if len(j.blocks) == 0 || len(j.blocks[len(j.blocks)-1]) >= jsonBlock-1024 {
		j.blocks = append(j.blocks, make([]byte, 0, jsonBlock))
	}
	b := &j.blocks[len(j.blocks)-1]
	sep := ",\n  "
	if j.n == 0 {
		sep = "[\n  "
	}
	out, err := item(append(*b, sep...))
	if err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	*b = out
	j.n++
	return nil
}

// writeTo writes the array: [] when it holds no item.
func (j *jsonArray) writeTo(w io.Writer) error {
	if j.n == 0 {
		return writeJSON(w, []struct{}{})
	}
	last := &j.blocks[len(j.blocks)-1]
	*last = append(*last, "\n]\n"...)
	for _, b := range j.blocks {
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("write json: %w", err)
		}
	}
	return nil
}

// ago says how long ago t was in the short form a listing wants.
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
	return t.Local().Format("2006-01-02")
}

// oneLine shortens text to its first line, at most n runes.
func oneLine(s string, n int) string {
	s, _, cut := strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) <= n { // n bytes are at most n runes: nothing to count
		if cut {
			return s + " …"
		}
		return s
	}
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	if cut {
		return s + " …"
	}
	return s
}
