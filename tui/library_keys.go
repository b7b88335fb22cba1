package tui

import "charm.land/bubbles/v2/key"

// libraryKeys are the Library's own keys; movement, enter, /, y and esc
// are the shared ones.
type libraryKeys struct {
	Left   key.Binding
	Right  key.Binding
	Toggle key.Binding
	Sort   key.Binding
	Clear  key.Binding // esc while a filter is applied
	Apply  key.Binding // enter in the filter input
	// FilterUp and FilterDown move while typing a filter: arrows only.
	FilterUp   key.Binding
	FilterDown key.Binding
}

func newLibraryKeys() libraryKeys {
	return libraryKeys{
		Left:       key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "close")),
		Right:      key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "open node")),
		Toggle:     key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "open/close")),
		Sort:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort: name/recent")),
		Clear:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Apply:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		FilterUp:   key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up")),
		FilterDown: key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down")),
	}
}

func (p *libraryPane) ShortHelp() []key.Binding {
	if p.filtering {
		return []key.Binding{p.keys.Apply, p.keys.Clear}
	}
	return []key.Binding{p.c.keys.Open, p.c.keys.Filter, p.keys.Sort, p.c.keys.Copy}
}

func (p *libraryPane) FullHelp() [][]key.Binding {
	sk := p.c.keys
	if p.filtering {
		return [][]key.Binding{{p.keys.Apply, p.keys.Clear}}
	}
	return [][]key.Binding{
		{sk.Up, sk.Down, sk.PageUp, sk.PageDown, sk.Top, sk.Bottom},
		{sk.Open, p.keys.Right, p.keys.Left, p.keys.Toggle, sk.Filter, p.keys.Sort, sk.Copy},
	}
}
