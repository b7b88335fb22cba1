package tui

import "charm.land/bubbles/v2/key"

// globalKeys act wherever focus is, unless the focused pane is capturing
// text (then only ctrl+c does).
type globalKeys struct {
	Quit      key.Binding
	ForceQuit key.Binding
	Help      key.Binding
	Next      key.Binding
	Prev      key.Binding
	Zoom      key.Binding
	Error     key.Binding
	Theme     key.Binding
	Jump      key.Binding    // shown in help as "1-6"
	Panes     [6]key.Binding // matched one by one
}

func newGlobalKeys() globalKeys {
	k := globalKeys{
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Next:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		Prev:      key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous")),
		Zoom:      key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zoom")),
		Error:     key.NewBinding(key.WithKeys("!"), key.WithHelp("!", "full error")),
		Theme:     key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "next theme")),
		Jump:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), key.WithHelp("1-6", "go to pane")),
	}
	for i := range k.Panes {
		n := string(rune('1' + i))
		k.Panes[i] = key.NewBinding(key.WithKeys(n), key.WithHelp(n, paneID(i).title()))
	}
	return k
}

func (k globalKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Quit, k.Next, k.Jump, k.Zoom}
}

func (k globalKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Prev, k.Jump, k.Zoom, k.Error, k.Theme, k.Help, k.Quit}}
}

// sharedKeys are pane keys with one meaning everywhere; each pane puts the
// ones it uses into its own help.
type sharedKeys struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Open     key.Binding
	Back     key.Binding
	Copy     key.Binding
	Filter   key.Binding
}

func newSharedKeys() sharedKeys {
	return sharedKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Copy:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
	}
}
