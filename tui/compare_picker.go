package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/eval/dataset"
	"promptbench/tui/termtext"
)

// pickPage is how many rows one read of the file brings: more than a
// screenful, so that moving a page at a time reads rarely.
const pickPage = 100

// pickPagesKept bounds the rows the picker holds (the pages around the
// cursor): memory does not grow with the dataset, whatever its size.
const pickPagesKept = 5

// rowPicker lists the rows of a dataset file to take one as a run's
// variables. The file is read in pages, in tea.Cmds, as the cursor moves
// (never in Update or View), and counted in the background.
type rowPicker struct {
	open int    // which opening this is: older ones' messages are stale
	path string // as typed, until the first page names the file read
	// ctx ends when the picker closes: every read of it stops.
	ctx    context.Context
	cancel context.CancelFunc
	pages  map[int][]dataset.Row
	// asked are the pages being read; the cursor moving far away stops
	// them.
	asked map[int]context.CancelFunc
	pick  int  // the row under the cursor, 0-based
	shown bool // the first page arrived: the rows are listed
	// total is the number of rows once known (counted, or a page ended
	// the file); bad is the first bad row's error, after which nothing
	// can be picked (total is then the rows before it).
	total   int
	known   bool
	counted bool
	bad     error
	// sofar is how many rows the count has read while it goes on;
	// index marks where some of them start, so that a page far into
	// the file is read from close before it.
	sofar int
	index dataset.Index
}

// expandHome reads "~/" as the user's home folder.
func expandHome(path string) string {
	path = strings.TrimSpace(path)
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

// openDataset starts a picker on the file at path: its first page and
// its count are read at once.
func (p *comparePane) openDataset(path string) tea.Cmd {
	p.closePicker()
	p.picks++
	ctx, cancel := context.WithCancel(p.c.ctx)
	p.picker = &rowPicker{open: p.picks, path: path, ctx: ctx, cancel: cancel,
		pages: map[int][]dataset.Row{}, asked: map[int]context.CancelFunc{0: func() {}}}
	return tea.Batch(readRowPage(ctx, p.files, p.picks, path, 0, dataset.Mark{}),
		countRows(ctx, p.files, p.picks, path, dataset.Mark{}))
}

// closePicker stops the picker's reads and leaves the rows.
func (p *comparePane) closePicker() {
	if p.picker != nil {
		p.picker.cancel()
		p.picker = nil
	}
}

// picking reports whether rows are listed (the first page has arrived).
func (p *comparePane) picking() bool { return p.picker != nil && p.picker.shown }

func (p *comparePane) rowPage(msg rowPageMsg) tea.Cmd {
	pk := p.picker
	if pk == nil || msg.open != pk.open || errors.Is(msg.err, context.Canceled) {
		return nil // stale: another file, or a page the cursor left behind
	}
	delete(pk.asked, msg.page)
	if msg.page == 0 {
		if msg.err != nil && len(msg.rows) == 0 {
			p.closePicker()
			return reportErr("read the dataset", msg.err)
		}
		pk.path, pk.shown = msg.path, true
	}
	if msg.end && !pk.counted {
		// The file (or its readable part) ends here: the count, when
		// it comes, says the same.
		pk.total, pk.known = msg.page*pickPage+len(msg.rows), true
	}
	pk.pages[msg.page] = msg.rows
	if pk.known {
		// Only a known end moves the cursor: while the file is counted
		// it goes wherever the keys take it.
		pk.pick = min(pk.pick, max(pk.total-1, 0))
	}
	p.keepPages()
	if msg.err != nil && pk.bad == nil {
		pk.bad = msg.err // the count, when it comes, stops there too
		return reportErr("read the dataset (rows after the bad one cannot be picked)", msg.err)
	}
	return p.askPages()
}

func (p *comparePane) rowCount(msg rowCountMsg) tea.Cmd {
	pk := p.picker
	if pk == nil || msg.open != pk.open {
		return nil
	}
	pk.index.Merge(&msg.marks)
	pk.sofar = msg.total
	if !msg.done && msg.err == nil {
		return countRows(pk.ctx, p.files, pk.open, pk.path, msg.next)
	}
	pk.total, pk.known, pk.counted = msg.total, true, true
	reported := pk.bad != nil
	if msg.err != nil && !reported {
		pk.bad = msg.err
	}
	pk.pick = min(pk.pick, max(pk.total-1, 0))
	switch {
	case msg.total == 0 && !pk.shown:
		return nil // the first page reports the file
	case msg.total == 0:
		p.closePicker()
		return reportErr("read the dataset", msg.err)
	case msg.err != nil && !reported:
		return reportErr("read the dataset (rows after the bad one cannot be picked)", msg.err)
	}
	return p.askPages()
}

// pickWindow is the first row shown and how many rows fit.
func (p *comparePane) pickWindow() (first, room int) {
	pk := p.picker
	room = p.pickRoom()
	n := pk.total
	if !pk.known {
		n = pk.pick + room // not yet known: as if the rows went on
	}
	return max(min(pk.pick-room/2, n-room), 0), room
}

// pickRoom is how many rows fit under the setup's title, variants and
// gap, and the rows' title and count.
func (p *comparePane) pickRoom() int { return max(p.height-len(p.setup.choices)-5, 1) }

// askPages reads the pages the window shows that are neither here nor
// being read.
func (p *comparePane) askPages() tea.Cmd {
	pk := p.picker
	first, room := p.pickWindow()
	var cmds []tea.Cmd
	for n := first / pickPage; n <= (first+room-1)/pickPage; n++ {
		if _, ok := pk.pages[n]; ok || pk.asked[n] != nil || pk.known && n*pickPage >= pk.total {
			continue
		}
		ctx, cancel := context.WithCancel(pk.ctx)
		pk.asked[n] = cancel
		cmds = append(cmds, readRowPage(ctx, p.files, pk.open, pk.path, n, pk.index.Before(n*pickPage)))
	}
	return tea.Batch(cmds...)
}

// keepPages drops the pages far from the cursor and stops reading those:
// holding pgdn in a big file reads the pages it stops at, not every page
// it passes.
func (p *comparePane) keepPages() {
	pk := p.picker
	at := pk.pick / pickPage
	far := func(n int) bool { return n < at-pickPagesKept/2 || n > at+pickPagesKept/2 }
	for n := range pk.pages {
		if far(n) {
			delete(pk.pages, n)
		}
	}
	for n, cancel := range pk.asked {
		if far(n) {
			cancel()
			delete(pk.asked, n)
		}
	}
}

// row is row i if its page is here.
func (pk *rowPicker) row(i int) (dataset.Row, bool) {
	page := pk.pages[i/pickPage]
	if i%pickPage >= len(page) {
		return dataset.Row{}, false
	}
	return page[i%pickPage], true
}

// pickKey moves through the dataset rows; enter takes one as the run's
// variables, esc leaves them.
func (p *comparePane) pickKey(k tea.KeyPressMsg) tea.Cmd {
	s, pk, shared := &p.setup, p.picker, p.c.keys
	_, room := p.pickWindow()
	last := pk.total - 1
	if !pk.known {
		last = pk.pick + room // not counted yet: as far as the next screenful
	}
	switch {
	case key.Matches(k, shared.Back):
		p.closePicker()
		return nil
	case key.Matches(k, shared.Up):
		pk.pick--
	case key.Matches(k, shared.Down):
		pk.pick++
	case key.Matches(k, shared.PageUp):
		pk.pick -= room
	case key.Matches(k, shared.PageDown):
		pk.pick += room
	case key.Matches(k, shared.Top):
		pk.pick = 0
	case key.Matches(k, shared.Bottom):
		if !pk.known {
			return report("still counting the rows of " + pk.path)
		}
		pk.pick = last
	case key.Matches(k, shared.Open):
		row, ok := pk.row(pk.pick)
		if !ok {
			return report("the row is still being read")
		}
		s.row, s.rowFrom = &row, pk.path
		p.closePicker()
		for name, v := range row.Vars {
			s.values[name] = formValue(v)
		}
		p.deriveNames()
		return report("variables from row " + termtext.Sanitize(row.ID) + " of " + s.rowFrom)
	default:
		return nil
	}
	pk.pick = max(min(pk.pick, last), 0)
	p.keepPages()
	return p.askPages()
}

// rowsView lists dataset rows around the one under the cursor, with the
// count; rows still being read show as such.
func (p *comparePane) rowsView() []string {
	pk, st := p.picker, p.st
	count := "counting…"
	switch {
	case !pk.known && pk.sofar > 0:
		count = groupDigits(pk.sofar) + "+ rows, counting…"
	case pk.known && pk.bad != nil:
		count = groupDigits(pk.total) + " rows before a bad one"
	case pk.known:
		count = groupDigits(pk.total) + " rows"
	}
	lines := []string{
		st.muted.Render("Rows of " + termtext.Sanitize(pk.path) + " — enter takes one, esc goes back"),
		st.muted.Render("row " + groupDigits(pk.pick+1) + " of " + count),
	}
	first, room := p.pickWindow()
	for i := first; i < first+room && (!pk.known || i < pk.total); i++ {
		text := "…"
		if row, ok := pk.row(i); ok {
			text = rowPreview(row)
		}
		if i == pk.pick {
			lines = append(lines, st.cursor.Render(" › "+text))
		} else {
			lines = append(lines, "   "+text)
		}
	}
	return lines
}

// groupDigits writes n with thousands separated: 12,345.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
