// Package themes turns a colour palette into every style the terminal UI
// draws with: lipgloss styles per pane, the bubbles components' styles and
// glamour's markdown style. Styles are built once (at start, when the
// terminal reports its background, on a theme switch), never while drawing.
package themes

import (
	"fmt"
	"strings"
)

// Palette is a theme's colours as "#rrggbb" strings, so that a user theme
// file can name any of them.
type Palette struct {
	Name string `json:"name" yaml:"name"`
	// Dark tells glamour and the bubbles components which of their base
	// styles to start from.
	Dark bool `json:"dark" yaml:"dark"`

	Text      string `json:"text" yaml:"text"`           // ordinary text
	Muted     string `json:"muted" yaml:"muted"`         // secondary text: counts, ages, help
	Subtle    string `json:"subtle" yaml:"subtle"`       // borders of panes without focus
	Accent    string `json:"accent" yaml:"accent"`       // focus, titles, the selection
	Highlight string `json:"highlight" yaml:"highlight"` // fuzzy matches, variables
	Include   string `json:"include" yaml:"include"`     // {{> includes}}
	Badge     string `json:"badge" yaml:"badge"`         // label badges' background
	BadgeText string `json:"badge_text" yaml:"badge_text"`
	SelectBg  string `json:"select_bg" yaml:"select_bg"` // background of the selected row
	Error     string `json:"error" yaml:"error"`
	OK        string `json:"ok" yaml:"ok"`
	Warn      string `json:"warn" yaml:"warn"`
}

// Built-in palettes, as functions: no package state anyone could change.
func dark() Palette {
	return Palette{
		Name: "dark", Dark: true,
		Text: "#dddddd", Muted: "#8a8a8a", Subtle: "#4e4e4e", Accent: "#7aa2f7",
		Highlight: "#e0af68", Include: "#bb9af7", Badge: "#2f4f6f", BadgeText: "#ffffff",
		SelectBg: "#283457", Error: "#f7768e", OK: "#9ece6a", Warn: "#e0af68",
	}
}

func light() Palette {
	return Palette{
		Name: "light", Dark: false,
		Text: "#1f2328", Muted: "#6e7781", Subtle: "#c0c4c8", Accent: "#0550ae",
		Highlight: "#9a6700", Include: "#8250df", Badge: "#ddf4ff", BadgeText: "#0a3069",
		SelectBg: "#dbe9f9", Error: "#cf222e", OK: "#1a7f37", Warn: "#9a6700",
	}
}

func highContrast() Palette {
	return Palette{
		Name: "high-contrast", Dark: true,
		Text: "#ffffff", Muted: "#d0d0d0", Subtle: "#ffffff", Accent: "#00ffff",
		Highlight: "#ffff00", Include: "#ff00ff", Badge: "#ffffff", BadgeText: "#000000",
		SelectBg: "#0000c0", Error: "#ff4040", OK: "#00ff00", Warn: "#ffff00",
	}
}

// Auto is the theme name that follows the terminal's background: dark
// unless the terminal says it is light.
const Auto = "auto"

// Names lists the themes --theme accepts.
func Names() []string {
	return []string{Auto, "dark", "high-contrast", "light"}
}

// UnknownError is a theme name that is not built in.
type UnknownError struct{ Name string }

func (e *UnknownError) Error() string {
	return fmt.Sprintf("unknown theme %q (themes: %s)", e.Name, strings.Join(Names(), ", "))
}

// Lookup returns the palette of a theme name; "" and "auto" pick dark or
// light after the terminal's background.
func Lookup(name string, isDark bool) (Palette, error) {
	switch strings.ToLower(name) {
	case "", Auto:
		if isDark {
			return dark(), nil
		}
		return light(), nil
	case "dark":
		return dark(), nil
	case "light":
		return light(), nil
	case "high-contrast":
		return highContrast(), nil
	}
	return Palette{}, &UnknownError{Name: name}
}

// Valid tells whether name is a theme Lookup knows.
func Valid(name string) bool {
	_, err := Lookup(name, true)
	return err == nil
}
