package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// logsHeaderLines are the lines above the rows: what is shown and how,
// then the column titles.
const logsHeaderLines = 2

// entryColumns titles the cells of entryRow.
const entryColumns = " AGE  VER  SOURCE   SCORE     LATENCY COST     OUTPUT"

// rowsHeight is how many rows fit under the header (and over the note
// input while one is typed).
func (p *logsPane) rowsHeight() int {
	h := p.height - logsHeaderLines
	if p.scoring == scoreNote {
		h--
	}
	return max(h, 0)
}

func (p *logsPane) scroll() {
	p.offset = scrolled(p.cursor, p.offset, p.rowsHeight(), len(p.entries))
}

func (p *logsPane) scrollRuns() {
	p.runOffset = scrolled(p.runCursor, p.runOffset, p.rowsHeight(), len(p.runs))
}

func (p *logsPane) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	var lines []string
	switch p.view {
	case logsEntry, logsRunOne:
		lines = []string{p.headerView(), p.detail.View()}
	case logsRuns:
		lines = append([]string{p.headerView(), ""}, p.runRows()...)
	default:
		titles := p.c.styles.Base.Muted.Render(ansi.Truncate(entryColumns, p.width, ""))
		lines = append([]string{p.headerView(), titles}, p.entryRows()...)
	}
	if p.scoring == scoreNote {
		out := strings.Split(strings.Join(lines, "\n"), "\n")
		out = out[:min(len(out), p.height-1)]
		for len(out) < p.height-1 {
			out = append(out, "")
		}
		return strings.Join(append(out, p.note.View()), "\n")
	}
	return strings.Join(lines, "\n")
}

// headerView says what the pane shows and which filters apply.
func (p *logsPane) headerView() string {
	st := p.c.styles.Base
	if p.scoring == scoreValue {
		return st.Accent.Render(fit("Score: 1–5, p pass, f fail · esc cancels", p.width))
	}
	var parts []string
	switch p.view {
	case logsRuns:
		parts = append(parts, plural(len(p.runs), "recorded run"), "enter opens · esc back")
	case logsRunOne:
		run := p.runs[p.runCursor]
		entries := "l its entries of " + p.sel.name
		if !runCalls(run, p.sel.name) {
			entries = "select its prompt (1), then l: its entries"
		}
		parts = append(parts, "run "+string(run.ID), entries+" · esc back")
	case logsEntry:
		if e := p.selectedEntry(); e != nil {
			parts = append(parts, "entry "+e.ID, "s score · y copy output · esc back")
		}
	default:
		if p.sel.name == "" {
			return st.Muted.Render(fit("Select a prompt in the Library (1).", p.width))
		}
		what := p.sel.ref()
		if p.allVersions {
			what = p.sel.name + " (all versions)"
		}
		count := itoa(len(p.entries)) + " entries"
		if len(p.entries) == 1 {
			count = "1 entry"
		}
		if p.next != "" {
			count += "+"
		}
		parts = append(parts, termtext.Sanitize(what), count)
		if s := sourceFilters[p.source]; s != "" {
			parts = append(parts, "source "+s)
		}
		if p.errorsOnly {
			parts = append(parts, "errors only")
		}
		if p.run != "" {
			parts = append(parts, "run "+string(p.run))
		}
	}
	return st.Muted.Render(ansi.Truncate(strings.Join(parts, " · "), p.width, "…"))
}

// entryRows are the visible rows of the list.
func (p *logsPane) entryRows() []string {
	st := p.c.styles.Base
	if !p.loaded && p.sel.name != "" {
		return []string{st.Muted.Render("Loading…")}
	}
	if p.sel.name != "" && len(p.entries) == 0 {
		hint := "No calls logged yet: run it in Compare (5) or with promptbench run."
		if p.source != 0 || p.errorsOnly || p.run != "" {
			hint = "No entry matches: f, e change the filters; esc leaves a run."
		}
		return []string{st.Muted.Render(ansi.Truncate(hint, p.width, "…"))}
	}
	end := min(p.offset+p.rowsHeight(), len(p.entries))
	rows := make([]string, 0, end-p.offset)
	for i := p.offset; i < end; i++ {
		rows = append(rows, p.entryRow(p.entries[i], i == p.cursor))
	}
	return rows
}

// entryRow is one entry on one line: age, version, source, score,
// latency, cost and the start of the output.
func (p *logsPane) entryRow(e workspace.LogEntry, cursor bool) string {
	st := p.c.styles.Base
	gutter := " "
	if cursor {
		gutter = "›"
	}
	cells := []string{
		fmt.Sprintf("%-4s", p.c.age(e.Time)),
		fmt.Sprintf("v%-3d", e.Version),
		fmt.Sprintf("%-8s", ansi.Truncate(termtext.Sanitize(e.Source), 8, "…")),
		fmt.Sprintf("%-9s", scoreCell(e.Scores)),
		fmt.Sprintf("%7s", latencyCell(e.Latency)),
		fmt.Sprintf("%-8s", fmt.Sprintf("$%.4f", e.Cost)),
	}
	text := e.Output
	if e.Error != "" {
		text = "error: " + e.Error
	}
	line := gutter + strings.Join(cells, " ") + " " + oneLineText(text)
	line = fit(ansi.Truncate(line, p.width, "…"), p.width)
	switch {
	case cursor && p.focused:
		return st.Selected.Render(line)
	case cursor:
		return st.Cursor.Render(line)
	case e.Error != "":
		return st.Error.Render(line)
	}
	return st.Text.Render(line)
}

// scoreCell is the entry's scores in a few cells: a person's first, then
// how many more.
func scoreCell(scores []workspace.Score) string {
	if len(scores) == 0 {
		return "-"
	}
	first := scores[0]
	for _, s := range scores {
		if s.Name == humanScoreName {
			first = s
			break
		}
	}
	cell := scoreWords(first)
	if len(scores) > 1 {
		cell += fmt.Sprintf(" +%d", len(scores)-1)
	}
	return cell
}

// scoreWords is one score as a reader says it: ✓, ✗, a value, or err.
func scoreWords(s workspace.Score) string {
	switch {
	case s.Error != "":
		return "err"
	case s.Pass != nil && *s.Pass:
		return "✓"
	case s.Pass != nil:
		return "✗"
	}
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", s.Value), "0"), ".")
}

func latencyCell(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	if d < time.Second {
		return itoa(int(d/time.Millisecond)) + "ms"
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// oneLineText is untrusted text made safe and flat for one row.
func oneLineText(s string) string {
	s = termtext.Sanitize(s)
	return strings.Join(strings.Fields(s), " ")
}

// runRows are the visible rows of the runs list; runs that called the
// selected prompt are marked •.
func (p *logsPane) runRows() []string {
	st := p.c.styles.Base
	if len(p.runs) == 0 {
		return []string{st.Muted.Render("No recorded runs. promptbench --eval DATASET records one.")}
	}
	end := min(p.runOffset+p.rowsHeight(), len(p.runs))
	rows := make([]string, 0, end-p.runOffset)
	for i := p.runOffset; i < end; i++ {
		r := p.runs[i]
		mark := " "
		if runCalls(r, p.sel.name) {
			mark = "•"
		}
		gutter := " "
		if i == p.runCursor {
			gutter = "›"
		}
		line := fmt.Sprintf("%s%s %-20s %-11s %-4s %s · %d calls · %d errors · $%.4f", gutter, mark, r.ID, r.Status,
			p.c.age(r.Started), plural(len(r.Variants), "variant"), r.Counts.Calls, r.Counts.Errors, r.Cost)
		line = fit(ansi.Truncate(termtext.Sanitize(line), p.width, "…"), p.width)
		switch {
		case i == p.runCursor && p.focused:
			line = st.Selected.Render(line)
		case i == p.runCursor:
			line = st.Cursor.Render(line)
		default:
			line = st.Text.Render(line)
		}
		rows = append(rows, line)
	}
	return rows
}
