package tui

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

func itoa(n int) string { return strconv.Itoa(n) }

func (p *logsPane) key(k tea.KeyPressMsg) tea.Cmd {
	switch p.scoring {
	case scoreValue:
		return p.scoreValueKey(k)
	case scoreNote:
		return p.noteKey(k)
	}
	switch p.view {
	case logsEntry:
		return p.entryKey(k)
	case logsRuns:
		return p.runsKey(k)
	case logsRunOne:
		return p.runKey(k)
	}
	return p.listKey(k)
}

func (p *logsPane) listKey(k tea.KeyPressMsg) tea.Cmd {
	ks := p.c.keys
	switch {
	case key.Matches(k, ks.Up):
		p.move(-1)
	case key.Matches(k, ks.Down):
		return p.move(1)
	case key.Matches(k, ks.PageUp):
		p.move(-p.rowsHeight())
	case key.Matches(k, ks.PageDown):
		return p.move(p.rowsHeight())
	case key.Matches(k, ks.Top):
		p.move(-len(p.entries))
	case key.Matches(k, ks.Bottom):
		return p.move(len(p.entries))
	case key.Matches(k, ks.Open):
		if p.selectedEntry() == nil {
			return report("no entry to open")
		}
		p.view = logsEntry
		p.refreshDetail()
		p.detail.GotoTop()
	case key.Matches(k, p.keys.Score):
		return p.startScore()
	case key.Matches(k, ks.Copy):
		if e := p.selectedEntry(); e != nil {
			return copyText("output of "+e.ID, e.Output)
		}
		return report("nothing to copy")
	case key.Matches(k, p.keys.Source):
		p.source = (p.source + 1) % len(sourceFilters)
		return p.refilter()
	case key.Matches(k, p.keys.Errors):
		p.errorsOnly = !p.errorsOnly
		return p.refilter()
	case key.Matches(k, p.keys.All):
		p.allVersions = !p.allVersions
		return p.refilter()
	case key.Matches(k, p.keys.Runs):
		p.view = logsRuns
		return loadRuns(p.c)
	case key.Matches(k, ks.Back):
		if p.run != "" {
			p.run = ""
			return p.refilter()
		}
		return goBack()
	}
	return nil
}

// refilter starts the list over under the changed filters.
func (p *logsPane) refilter() tea.Cmd {
	p.entries, p.cursor, p.offset, p.next = nil, 0, 0, ""
	return p.reload()
}

// move moves the cursor by delta rows, asking for the next page when it
// reaches the last loaded entry.
func (p *logsPane) move(delta int) tea.Cmd {
	if len(p.entries) == 0 {
		return nil
	}
	p.cursor = min(max(p.cursor+delta, 0), len(p.entries)-1)
	p.scroll()
	if p.cursor == len(p.entries)-1 {
		return p.more()
	}
	return nil
}

func (p *logsPane) entryKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, p.c.keys.Back):
		p.view = logsList
		return nil
	case key.Matches(k, p.keys.Score):
		return p.startScore()
	case key.Matches(k, p.c.keys.Copy):
		if e := p.selectedEntry(); e != nil {
			return copyText("output of "+e.ID, e.Output)
		}
	}
	var cmd tea.Cmd
	p.detail, cmd = p.detail.Update(k)
	return cmd
}

func (p *logsPane) runsKey(k tea.KeyPressMsg) tea.Cmd {
	ks := p.c.keys
	switch {
	case key.Matches(k, ks.Up):
		p.runCursor = max(p.runCursor-1, 0)
	case key.Matches(k, ks.Down):
		p.runCursor = min(p.runCursor+1, max(len(p.runs)-1, 0))
	case key.Matches(k, ks.Top):
		p.runCursor = 0
	case key.Matches(k, ks.Bottom):
		p.runCursor = max(len(p.runs)-1, 0)
	case key.Matches(k, ks.Open):
		if p.runCursor >= len(p.runs) {
			return report("no recorded runs: promptbench --eval DATASET records one")
		}
		p.view = logsRunOne
		p.showRun()
		p.detail.GotoTop()
	case key.Matches(k, ks.Back):
		p.view = logsList
	}
	p.scrollRuns()
	return nil
}

func (p *logsPane) runKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, p.c.keys.Back):
		p.view = logsRuns
		return nil
	case key.Matches(k, p.keys.Entries):
		run := p.runs[p.runCursor]
		if !runCalls(run, p.sel.name) {
			return report("run " + string(run.ID) + " did not call " + p.sel.name + ": select one of its prompts in the Library")
		}
		p.run, p.allVersions, p.view = run.ID, true, logsList
		return p.refilter()
	case key.Matches(k, p.c.keys.Copy):
		id := string(p.runs[p.runCursor].ID)
		return copyText(id, id)
	}
	var cmd tea.Cmd
	p.detail, cmd = p.detail.Update(k)
	return cmd
}

// runCalls says whether run has a variant of prompt name.
func runCalls(run workspace.Run, name string) bool {
	for _, v := range run.Variants {
		if v.Prompt == name {
			return true
		}
	}
	return false
}

func (p *logsPane) wheel(m tea.MouseWheelMsg) tea.Cmd {
	if p.view == logsEntry || p.view == logsRunOne {
		var cmd tea.Cmd
		p.detail, cmd = p.detail.Update(m)
		return cmd
	}
	switch m.Mouse().Button {
	case tea.MouseWheelUp:
		return p.move(-3)
	case tea.MouseWheelDown:
		return p.move(3)
	}
	return nil
}

// click puts the cursor on the clicked row; a click on the selected row
// opens it.
func (p *logsPane) click(m tea.MouseClickMsg) tea.Cmd {
	if p.view != logsList || m.Mouse().Button != tea.MouseLeft {
		return nil
	}
	row := p.offset + m.Mouse().Y - logsHeaderLines
	if row < p.offset || row >= len(p.entries) {
		return nil
	}
	if row == p.cursor {
		p.view = logsEntry
		p.refreshDetail()
		p.detail.GotoTop()
		return nil
	}
	p.cursor = row
	return nil
}
