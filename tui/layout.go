package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The smallest terminal the panes are laid out for.
const (
	minWidth  = 80
	minHeight = 24
)

// rect is a rectangle of terminal cells.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// inner is the rectangle inside a frame.
func (r rect) inner() rect {
	return rect{x: r.x + 1, y: r.y + 1, w: max(r.w-2, 0), h: max(r.h-2, 0)}
}

// layout is every rectangle of the screen, computed once per size, help
// or zoom change. From the top: the tab bar, the Library beside the main
// area (the one of panes 2–6 last focused), the status line and the help.
type layout struct {
	width, height int
	tooSmall      bool
	tabs          rect
	tab           [paneCount]rect // each pane's name in the tab bar
	library       rect            // frame of the Library
	main          rect            // frame of the pane in the main area
	status        rect
	help          rect
	zoomed        bool // the focused pane fills library and main
}

// libraryWidth is the Library's share of the width: a third, within
// bounds that keep names readable and the main area wide.
func libraryWidth(total int) int {
	return min(max(total/3, 30), 48)
}

func computeLayout(width, height, helpLines int, zoomed bool) layout {
	l := layout{width: width, height: height, zoomed: zoomed}
	if width < minWidth || height < minHeight {
		l.tooSmall = true
		return l
	}
	helpLines = min(helpLines, height/3)
	bodyH := height - 2 - helpLines
	l.tabs = rect{0, 0, width, 1}
	x := ansi.StringWidth(appName) + 1
	for id := range paneCount {
		w := ansi.StringWidth(tabLabel(id)) + 2 // the tab style's padding
		l.tab[id] = rect{x, 0, w, 1}
		x += w
	}
	l.status = rect{0, 1 + bodyH, width, 1}
	l.help = rect{0, 2 + bodyH, width, helpLines}
	if zoomed {
		l.library = rect{0, 1, width, bodyH}
		l.main = l.library
		return l
	}
	lw := libraryWidth(width)
	l.library = rect{0, 1, lw, bodyH}
	l.main = rect{lw, 1, width - lw, bodyH}
	return l
}

// tooSmallView is the whole screen below the minimum size.
func tooSmallView(c *common, width, height int) string {
	lines := []string{
		"Terminal too small",
		"",
		"promptbench needs at least " + sizeText(minWidth, minHeight) + ";",
		"this one is " + sizeText(width, height) + ".",
		"Enlarge the window, or press q to quit.",
	}
	var b strings.Builder
	top := max((height-len(lines))/2, 0)
	for i := 0; i < top; i++ {
		b.WriteByte('\n')
	}
	for i, line := range lines {
		line = ansi.Truncate(line, width, "")
		pad := max((width-ansi.StringWidth(line))/2, 0)
		b.WriteString(strings.Repeat(" ", pad))
		if i == 0 {
			line = c.styles.App.TooSmall.Render(line)
		}
		b.WriteString(line)
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func sizeText(w, h int) string {
	return strconv.Itoa(w) + "×" + strconv.Itoa(h)
}

// frame draws content (already width×height of the inside) in a box with
// the title in its top line.
func frame(c *common, title, content string, r rect, focused bool) string {
	st := c.styles.App
	border, titleStyle := st.Border, st.Title
	if focused {
		border, titleStyle = st.BorderFocused, st.TitleFocused
	}
	in := r.inner()
	title = ansi.Truncate(title, max(in.w-2, 0), "…")
	fill := max(in.w-ansi.StringWidth(title)-2, 0)
	var b strings.Builder
	b.WriteString(border.Render("╭─"))
	b.WriteString(titleStyle.Render(title))
	b.WriteString(border.Render(strings.Repeat("─", fill) + "─╮"))
	side := border.Render("│")
	lines := strings.Split(content, "\n")
	for i := 0; i < in.h; i++ {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteByte('\n')
		b.WriteString(side)
		b.WriteString(fit(line, in.w))
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(border.Render("╰" + strings.Repeat("─", in.w) + "╯"))
	return b.String()
}

// fit cuts or pads a line to exactly width cells.
func fit(line string, width int) string {
	w := ansi.StringWidth(line)
	if w > width {
		return ansi.Truncate(line, width, "…")
	}
	return line + strings.Repeat(" ", width-w)
}

// appName starts the tab bar.
const appName = " promptbench"

// tabLabel is a pane's number and name, in its tab and its frame.
func tabLabel(id paneID) string {
	return strconv.Itoa(int(id)+1) + " " + id.title()
}

// tabBar draws the pane names, the focused one and the one in the main
// area marked, and the workspace's location at the right.
func (m *Model) tabBar() string {
	st := m.c.styles.App
	var b strings.Builder
	b.WriteString(st.TitleFocused.Render(appName))
	b.WriteByte(' ')
	for id := range paneCount {
		label := tabLabel(id)
		if id == m.focus || (id == m.main && !m.zoomed) {
			b.WriteString(st.TabActive.Render(label))
		} else {
			b.WriteString(st.Tab.Render(label))
		}
	}
	line := b.String()
	used := ansi.StringWidth(line)
	room := m.layout.width - used - 2
	if loc := m.location; loc != "" && room >= 8 {
		if w := ansi.StringWidth(loc); w > room {
			loc = "…" + ansi.TruncateLeft(loc, w-room+1, "")
		}
		line += strings.Repeat(" ", m.layout.width-used-ansi.StringWidth(loc)) + st.StatusRight.Render(loc)
	}
	return fit(line, m.layout.width)
}
