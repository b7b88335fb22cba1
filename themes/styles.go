package themes

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/glamour/v2/ansi"
	"charm.land/lipgloss/v2"
)

// Styles is every style the terminal UI draws with, a struct per pane.
// Build it with New; panes read it and never make styles while drawing.
type Styles struct {
	Name   string // the palette's name
	IsDark bool

	App     AppStyles
	Base    BaseStyles // what any pane uses: text, muted, selection, errors
	Library LibraryStyles
	Prompt  PromptStyles
	Compare CompareStyles

	Help      help.Styles
	TextInput textinput.Styles
	TextArea  textarea.Styles
	// Markdown is glamour's style for rendered prompts and outputs.
	Markdown ansi.StyleConfig
}

// AppStyles are the frame around the panes and the bars.
type AppStyles struct {
	Border        lipgloss.Style // frame lines of a pane without focus
	BorderFocused lipgloss.Style // frame lines of the focused pane
	Title         lipgloss.Style // a pane's title without focus
	TitleFocused  lipgloss.Style
	Tab           lipgloss.Style // the tab bar over the main area
	TabActive     lipgloss.Style
	Status        lipgloss.Style // the status line
	StatusError   lipgloss.Style
	StatusInfo    lipgloss.Style
	StatusRight   lipgloss.Style // the selected ref and hints at the right
	TooSmall      lipgloss.Style
}

// BaseStyles are shared by all panes.
type BaseStyles struct {
	Text      lipgloss.Style
	Muted     lipgloss.Style
	Accent    lipgloss.Style
	Selected  lipgloss.Style // the selected row of a list with focus
	Cursor    lipgloss.Style // the selected row of a list without focus
	Highlight lipgloss.Style
	Badge     lipgloss.Style
	Error     lipgloss.Style
	OK        lipgloss.Style
	Warn      lipgloss.Style
	Heading   lipgloss.Style
}

// LibraryStyles draw the taxonomy tree.
type LibraryStyles struct {
	Facet  lipgloss.Style
	Value  lipgloss.Style
	Folder lipgloss.Style
	Prompt lipgloss.Style
	Count  lipgloss.Style
	Match  lipgloss.Style // fuzzy-matched characters
	Badge  lipgloss.Style // a label on a prompt
	Filter lipgloss.Style // the "/ filter" line
}

// PromptStyles draw the selected version.
type PromptStyles struct {
	Title    lipgloss.Style
	Role     lipgloss.Style // a message's role header
	Variable lipgloss.Style // {{variable}}
	Include  lipgloss.Style // {{> include}}
	Key      lipgloss.Style // "model", "hash", … in the details
	Value    lipgloss.Style
	Tag      lipgloss.Style
	Label    lipgloss.Style
}

// CompareStyles draw the Compare pane's columns.
type CompareStyles struct {
	Title        lipgloss.Style // a column's variant
	TitleFocused lipgloss.Style // the focused column's
	Gap          lipgloss.Style // the line between columns
	Deleted      lipgloss.Style // words only the left side of a word diff has
	Inserted     lipgloss.Style // words only the right side has
}

// New builds all styles of a palette. isDark is the terminal's background
// as reported; a palette's own Dark flag decides the base styles of
// bubbles and glamour, so that a light theme on a dark terminal stays
// readable as a whole.
func New(p Palette, isDark bool) Styles {
	c := func(hex string) color.Color { return lipgloss.Color(hex) }
	text := lipgloss.NewStyle().Foreground(c(p.Text))
	muted := lipgloss.NewStyle().Foreground(c(p.Muted))
	accent := lipgloss.NewStyle().Foreground(c(p.Accent))
	badge := lipgloss.NewStyle().Foreground(c(p.BadgeText)).Background(c(p.Badge)).Padding(0, 1)
	s := Styles{Name: p.Name, IsDark: isDark}
	s.App = AppStyles{
		Border:        lipgloss.NewStyle().Foreground(c(p.Subtle)),
		BorderFocused: accent,
		Title:         muted,
		TitleFocused:  accent.Bold(true),
		Tab:           muted.Padding(0, 1),
		TabActive:     accent.Bold(true).Underline(true).Padding(0, 1),
		Status:        muted,
		StatusError:   lipgloss.NewStyle().Foreground(c(p.Error)).Bold(true),
		StatusInfo:    lipgloss.NewStyle().Foreground(c(p.OK)),
		StatusRight:   muted,
		TooSmall:      lipgloss.NewStyle().Foreground(c(p.Warn)).Bold(true),
	}
	s.Base = BaseStyles{
		Text:      text,
		Muted:     muted,
		Accent:    accent,
		Selected:  text.Background(c(p.SelectBg)).Bold(true),
		Cursor:    text.Background(c(p.Subtle)),
		Highlight: lipgloss.NewStyle().Foreground(c(p.Highlight)).Bold(true),
		Badge:     badge,
		Error:     lipgloss.NewStyle().Foreground(c(p.Error)),
		OK:        lipgloss.NewStyle().Foreground(c(p.OK)),
		Warn:      lipgloss.NewStyle().Foreground(c(p.Warn)),
		Heading:   accent.Bold(true),
	}
	s.Library = LibraryStyles{
		Facet:  accent.Bold(true),
		Value:  text,
		Folder: lipgloss.NewStyle().Foreground(c(p.Include)),
		Prompt: text,
		Count:  muted,
		Match:  lipgloss.NewStyle().Foreground(c(p.Highlight)).Bold(true).Underline(true),
		Badge:  badge,
		Filter: accent,
	}
	s.Prompt = PromptStyles{
		Title:    accent.Bold(true),
		Role:     lipgloss.NewStyle().Foreground(c(p.BadgeText)).Background(c(p.Accent)).Bold(true).Padding(0, 1),
		Variable: lipgloss.NewStyle().Foreground(c(p.Highlight)).Bold(true),
		Include:  lipgloss.NewStyle().Foreground(c(p.Include)).Bold(true),
		Key:      muted,
		Value:    text,
		Tag:      lipgloss.NewStyle().Foreground(c(p.Include)),
		Label:    badge,
	}
	s.Compare = CompareStyles{
		Title:        accent.Bold(true),
		TitleFocused: lipgloss.NewStyle().Foreground(c(p.BadgeText)).Background(c(p.Accent)).Bold(true),
		Gap:          lipgloss.NewStyle().Foreground(c(p.Subtle)),
		Deleted:      lipgloss.NewStyle().Foreground(c(p.Error)).Strikethrough(true),
		Inserted:     lipgloss.NewStyle().Foreground(c(p.OK)).Underline(true),
	}
	s.Help = help.DefaultStyles(p.Dark)
	s.Help.ShortKey = accent
	s.Help.FullKey = accent
	s.TextInput = textinput.DefaultStyles(p.Dark)
	s.TextInput.Focused.Prompt = accent
	s.TextInput.Focused.Text = text
	// A steady cursor: blinking redraws the screen twice a second for
	// nothing.
	s.TextInput.Cursor.Blink = false
	s.TextArea = textarea.DefaultStyles(p.Dark)
	s.Markdown = markdown(p)
	return s
}
