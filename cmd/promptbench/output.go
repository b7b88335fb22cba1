package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
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
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	if cut {
		return s + " …"
	}
	return s
}
