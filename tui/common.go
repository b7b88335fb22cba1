package tui

import (
	"context"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"promptbench/themes"
	"promptbench/tui/markdown"
	"promptbench/workspace"
)

// Store is what the terminal UI needs of the workspace. Every method opens
// the store for that one operation and closes it, so other processes
// (commit, label, an evaluation) can use the workspace while the UI is
// open. *workspace.Workspace implements it; tests may pass a fake.
type Store interface {
	List(ctx context.Context, f workspace.Filter) ([]workspace.Prompt, error)
	Show(ctx context.Context, ref string) (workspace.Prompt, workspace.Version, error)
	History(ctx context.Context, name string) (workspace.Prompt, []workspace.Version, error)
	Summaries(ctx context.Context, names ...string) (map[string]map[int]workspace.LogSummary, error)
	// The Compare pane's: the session's recorder, scores, remembered
	// variables.
	compareStore
	// ChangeMark is a few bytes that change with every committed write;
	// it never opens the store.
	ChangeMark() string
	logsStore
	historyStore
	editorStore
}

// common is what every pane shares. The root owns it and changes it only
// in its Update; panes read it. Cmds capture the values they need (store,
// ctx) when they are built.
type common struct {
	ctx    context.Context // cancelled when the UI quits
	store  Store
	styles themes.Styles
	// md renders markdown for every pane: glamour renderers and their
	// output are cached by style and width.
	md   *markdown.Renderer
	keys sharedKeys
	now  func() time.Time
	// tick is tea.Tick; tests replace it to drive time themselves.
	tick     func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	selected selection
	// width and height are the terminal's; panes use their own SetSize.
	width, height int
	// zoomed: the focused pane has the whole body (hints need not
	// suggest the zoom key).
	zoomed bool
}

// ago says when t was: "just now", "5m ago".
func (c *common) ago(t time.Time) string {
	switch a := c.age(t); a {
	case "":
		return ""
	case "now":
		return "just now"
	default:
		return a + " ago"
	}
}

// age says how long ago t was, in the short form lists use: "5m", "3h",
// "2d", "4mo", "1y".
func (c *common) age(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := c.now().Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 30*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d < 365*24*time.Hour:
		return strconv.Itoa(int(d/(30*24*time.Hour))) + "mo"
	}
	return strconv.Itoa(int(d/(365*24*time.Hour))) + "y"
}

// copyText puts text on the clipboard (OSC 52, which works over ssh) and
// says so in the status line.
func copyText(what, text string) tea.Cmd {
	if text == "" {
		return report("nothing to copy")
	}
	return tea.Batch(tea.SetClipboard(text), report("copied "+what))
}
