package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"promptbench/tui/termtext"
)

// headerLines is the filter line above the rows.
func (p *libraryPane) headerLines() int { return 1 }

func (p *libraryPane) listHeight() int { return max(p.height-p.headerLines(), 0) }

// scroll keeps the cursor in view.
func (p *libraryPane) scroll() {
	p.offset = scrolled(p.cursor, p.offset, p.listHeight(), len(p.rows))
}

func (p *libraryPane) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	lines := make([]string, 0, p.height)
	lines = append(lines, p.headerView())
	switch {
	case !p.loaded && p.failed:
		lines = append(lines, p.c.styles.Base.Error.Render("Could not load the library."),
			p.c.styles.Base.Muted.Render("Trying again; ! shows why."))
	case !p.loaded:
		lines = append(lines, p.c.styles.Base.Muted.Render("Loading…"))
	case len(p.prompts) == 0:
		lines = append(lines, p.c.styles.Base.Muted.Render("No prompts yet. Commit one:"),
			p.c.styles.Base.Text.Render("promptbench commit NAME"))
	case len(p.rows) == 0:
		lines = append(lines, p.c.styles.Base.Muted.Render("No prompt matches."), p.c.styles.Base.Muted.Render("esc clears the filter"))
	}
	end := min(p.offset+p.listHeight(), len(p.rows))
	for i := p.offset; i < end; i++ {
		lines = append(lines, p.rowView(p.rows[i], i == p.cursor))
	}
	return strings.Join(lines, "\n")
}

// headerView is the filter input while typing, the applied filter, or
// what the tree holds.
func (p *libraryPane) headerView() string {
	st := p.c.styles
	switch {
	case p.filtering:
		return p.filter.View()
	case p.filterText() != "":
		return st.Library.Filter.Render("/ "+termtext.Sanitize(p.filterText())) +
			st.Base.Muted.Render(" · "+strconv.Itoa(len(p.rows))+" found")
	}
	if path := p.scrolledPath(); path != "" {
		return st.Base.Muted.Render("↑ " + path)
	}
	return st.Base.Muted.Render(strconv.Itoa(len(p.prompts)) + " prompts · " + p.order.String())
}

// scrolledPath names the nodes above the first row shown when the tree is
// scrolled into one: "purpose › support › support/".
func (p *libraryPane) scrolledPath() string {
	if p.offset == 0 || p.offset >= len(p.rows) || p.filterText() != "" {
		return ""
	}
	var path []string
	depth := p.rows[p.offset].depth
	for i := p.offset - 1; i >= 0 && depth > 0; i-- {
		if r := p.rows[i]; r.depth < depth {
			path = append([]string{termtext.Sanitize(r.label)}, path...)
			depth = r.depth
		}
	}
	return strings.Join(path, " › ")
}

// rowView draws one row exactly p.width wide. The cursor row is drawn
// plain in the selection style, marked with › so it shows without colour.
func (p *libraryPane) rowView(r row, cursor bool) string {
	st := p.c.styles
	ls := st.Library
	gutter := " "
	if cursor {
		gutter = "›"
	}
	indent := strings.Repeat("  ", r.depth)
	marker := "  "
	if r.kind != rowPrompt {
		kind := r.kind
		if kind == rowUntagged {
			kind = rowFacet
		}
		marker = "▸ "
		if opened(p.open, kind, r.key) {
			marker = "▾ "
		}
	}
	label := termtext.Sanitize(r.label)
	right, badges := "", ""
	if r.kind == rowPrompt {
		pr := p.prompts[r.prompt]
		right = " v" + strconv.Itoa(pr.Latest)
		if f := p.filterText(); f != "" {
			if hint := matchHint(p.src[r.prompt], pr.Name, strings.ToLower(f)); hint != "" {
				badges += " " + st.Base.Muted.Render("·"+hint)
			}
		}
		for _, l := range sortedLabels(pr.Labels) {
			badges += " " + ls.Badge.Render(termtext.Sanitize(l))
		}
	} else {
		right = " " + strconv.Itoa(r.count)
	}
	room := p.width - ansi.StringWidth(right)
	if cursor {
		plain := gutter + indent + marker + label + ansi.Strip(badges)
		line := fit(ansi.Truncate(plain, max(room, 0), "…"), max(room, 0)) + right
		if p.focused {
			return st.Base.Selected.Render(line)
		}
		return st.Base.Cursor.Render(line)
	}
	var styled string
	switch r.kind {
	case rowFacet, rowUntagged:
		styled = ls.Facet.Render(label)
	case rowValue:
		styled = ls.Value.Render(label)
	case rowFolder:
		styled = ls.Folder.Render(label)
	default:
		styled = highlight(label, r.matches, ls.Prompt, ls.Match)
	}
	left := gutter + indent + st.Base.Muted.Render(marker) + styled + badges
	return fit(ansi.Truncate(left, max(room, 0), "…"), max(room, 0)) + ls.Count.Render(right)
}
