package tui

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"promptbench/themes"
	mdrender "promptbench/tui/markdown"
	"promptbench/workspace"
)

// compareStyles are the styles the Compare pane draws with, taken from
// the theme (themes.New builds them) when it changes, never while drawing.
type compareStyles struct {
	title, titleFocused lipgloss.Style
	text, muted, accent lipgloss.Style
	err, ok, warn       lipgloss.Style
	deleted, inserted   lipgloss.Style
	rule                lipgloss.Style
	cursor              lipgloss.Style
	md                  mdrender.Style
}

func newCompareStyles(s themes.Styles) compareStyles {
	return compareStyles{
		title: s.Compare.Title, titleFocused: s.Compare.TitleFocused,
		text: s.Base.Text, muted: s.Base.Muted, accent: s.Base.Accent,
		err: s.Base.Error, ok: s.Base.OK, warn: s.Base.Warn,
		deleted: s.Compare.Deleted, inserted: s.Compare.Inserted,
		rule:   s.Compare.Gap,
		cursor: s.Base.Selected,
		md:     mdrender.Style{Name: "output/" + s.Name + "/" + strconv.FormatBool(s.IsDark), Config: s.Markdown},
	}
}

// Column layout: the variant, its model, two lines of figures, the body
// and a score line.
const (
	colHeaderLines = 4
	colFooterLines = 1
	colGap         = " │ "
	colGapWidth    = 3 // cells, not bytes
)

func (p *comparePane) colWidth() int {
	n := max(len(p.order), 1)
	return max((p.width-colGapWidth*(n-1))/n, 8)
}

func (p *comparePane) bodyHeight() int {
	h := p.height - 1 - colHeaderLines - colFooterLines // the summary line
	if p.input == inputNote {
		h--
	}
	return max(h, 1)
}

// refresh re-draws the body lines of the columns that changed, once per
// batch of events or key, so that View only joins.
func (p *comparePane) refresh() {
	if p.width == 0 || len(p.cols) == 0 {
		return
	}
	w, bh := p.colWidth(), p.bodyHeight()
	for _, col := range p.cols {
		v := &col.view
		if v.dirty || v.width != w || v.md == p.raw {
			v.lines = p.bodyLines(col, w)
			v.width, v.md, v.dirty = w, !p.raw, false
		}
		v.clamp(bh)
	}
	if p.diff && len(p.order) >= 2 {
		a := p.cols[p.order[p.focus]]
		b := p.cols[p.order[(p.focus+1)%len(p.order)]]
		before, after := workspace.WordSides(workspace.DiffWords(a.output(), b.output()))
		a.view.diff = diffLines(before, p.st.deleted, w)
		b.view.diff = diffLines(after, p.st.inserted, w)
		a.view.diffOf, b.view.diffOf = true, true
		for _, col := range p.cols {
			if col != a && col != b {
				col.view.diffOf = false
			}
		}
	}
}

// bodyLines draws a column's body at width w: the rest of its error when
// the metrics' two lines cannot hold it, then its output.
func (p *comparePane) bodyLines(col *column, w int) []string {
	if col.state != colFailed {
		return p.outputLines(col, w)
	}
	var lines []string
	if all := wrapLines("error: "+col.err, w); len(all) > 2 {
		rest := all[2:]
		for _, l := range rest {
			lines = append(lines, p.st.err.Render(l))
		}
		lines = append(lines, "")
	}
	return append(lines, p.outputLines(col, w)...)
}

// errorLines are a failed column's error wrapped to w: two at least, the
// metrics' lines.
func errorLines(col *column, w int) []string {
	return append(wrapLines("error: "+col.err, w), "")
}

// outputLines draws a column's output at width w: markdown once the
// stream has ended, the finished blocks as markdown and the rest as plain
// text while it streams, or plain text throughout in raw mode.
func (p *comparePane) outputLines(col *column, w int) []string {
	text := col.output()
	switch {
	case text == "" && col.state == colWaiting:
		return []string{p.st.muted.Render("waiting…")}
	case text == "" && col.state == colStreaming:
		return []string{p.st.muted.Render("calling…")}
	case text == "" && col.err != "":
		return wrapLines(p.st.muted.Render("e: variants and variables · r: run this column again"), w)
	case text == "":
		return nil
	case p.raw:
		return col.view.plain.lines(text, w)
	case col.state.running():
		if col.view.stream == nil {
			col.view.stream = p.c.md.NewStream()
		}
		stable, rest := col.view.stream.Stable(p.st.md, w, text)
		if rest == "" {
			return stable
		}
		if len(stable) > 0 {
			stable = append(stable, "")
		}
		return append(stable, wrapLines(rest, w)...)
	}
	col.view.stream = nil
	return strings.Split(p.c.md.Render(p.st.md, w, text), "\n")
}

// diffLines draws one side of a word diff: the words only this side has
// in style, wrapped to w.
func diffLines(chunks []workspace.WordChunk, changed lipgloss.Style, w int) []string {
	var b strings.Builder
	for _, c := range chunks {
		if c.Kind == workspace.DiffEqual {
			b.WriteString(c.Text)
			continue
		}
		for i, seg := range strings.Split(c.Text, "\n") {
			if i > 0 {
				b.WriteByte('\n')
			}
			if seg != "" {
				b.WriteString(changed.Render(seg))
			}
		}
	}
	// lipgloss.Wrap ends each line's styles and opens them again on the
	// next, so a change wrapped over two lines does not colour the gap.
	return strings.Split(lipgloss.Wrap(b.String(), max(w, 1), ""), "\n")
}

func wrapText(s string, w int) string { return ansi.Wrap(s, max(w, 1), "") }

func (v *columnView) scrollBy(n int) {
	v.scroll += n
	v.follow = false
}

func (v *columnView) scrollTo(line int) {
	v.scroll = line
	v.follow = line >= len(v.lines)
}

// clamp keeps the scroll inside the lines; a column that follows shows
// its end.
func (v *columnView) clamp(height int) {
	last := max(len(v.lines)-height, 0)
	if v.follow || v.scroll >= last {
		v.scroll, v.follow = last, v.follow || v.scroll >= last
	}
	v.scroll = max(v.scroll, 0)
}

func (p *comparePane) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	var lines []string
	if p.mode == modeSetup || len(p.cols) == 0 {
		lines = p.setupView()
	} else {
		lines = p.outputsView()
	}
	return fitBlock(lines, p.width, p.height)
}

// fitBlock cuts or pads lines to exactly w×h.
func fitBlock(lines []string, w, h int) string {
	if len(lines) > h {
		lines = lines[:h]
	}
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = padRight(ansi.Truncate(lines[i], w, "…"), w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return strings.Join(out, "\n")
}

func padRight(s string, w int) string {
	if n := w - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

func (p *comparePane) outputsView() []string {
	out := []string{p.summaryLine()}
	n := len(p.order)
	w, bh := p.colWidth(), p.bodyHeight()
	blocks := make([][]string, n)
	for pos, i := range p.order {
		blocks[pos] = p.columnBlock(pos, p.cols[i], w, bh)
	}
	rows := colHeaderLines + bh + colFooterLines
	gap := p.st.rule.Render(colGap)
	for r := range rows {
		parts := make([]string, n)
		for pos := range n {
			parts[pos] = padRight(ansi.Truncate(blocks[pos][r], w, "…"), w)
		}
		out = append(out, strings.Join(parts, gap))
	}
	if p.input == inputNote {
		out = append(out, p.st.accent.Render("note: ")+p.field.View())
	}
	return out
}

// columnBlock is one column's lines: title, metrics, body, scores.
func (p *comparePane) columnBlock(pos int, col *column, w, bh int) []string {
	title := p.columnTitle(pos)
	if pos == p.focus {
		title = p.st.titleFocused.Render(" › " + title + " ")
	} else {
		title = p.st.title.Render("   " + title + " ")
	}
	model := ""
	if !p.hidden() {
		model = p.st.text.Render(col.model)
	}
	m := p.metricsView(col)
	lines := []string{title, model, m[0], m[1]}
	body := col.view.lines
	if p.diff && col.view.diffOf {
		body = col.view.diff
	}
	start := min(col.view.scroll, max(len(body)-bh, 0))
	if p.diff {
		start = 0
	}
	for i := range bh {
		if start+i < len(body) {
			lines = append(lines, body[start+i])
		} else {
			lines = append(lines, "")
		}
	}
	return append(lines, p.scoresView(col))
}

// hidden tells whether blind mode hides the columns' identities now.
func (p *comparePane) hidden() bool { return p.blind && !p.revealed }

// columnTitle names the column at a display position: its variant, or
// only its position while blind.
func (p *comparePane) columnTitle(pos int) string {
	if pos >= len(p.order) {
		return ""
	}
	if p.hidden() {
		return "Output " + strconv.Itoa(pos+1)
	}
	col := p.cols[p.order[pos]]
	return col.id + " " + col.label
}

func (p *comparePane) metricsView(col *column) [2]string {
	switch {
	case col.state == colFailed:
		lines := errorLines(col, p.colWidth())
		return [2]string{p.st.err.Render(lines[0]), p.st.err.Render(lines[1])}
	case p.hidden():
		return [2]string{p.st.muted.Render(stateWord(col.state))}
	}
	m := metricsLines(col, p.price(col))
	return [2]string{p.st.muted.Render(m[0]), p.st.muted.Render(m[1])}
}

// price is the column's model price per million tokens, if known.
func (p *comparePane) price(col *column) *workspace.Price {
	if p.o.Price == nil {
		return nil
	}
	model := col.choice.model
	if model == "" {
		model = col.rendered.Version.Config.Model
	}
	if pr, ok := p.o.Price(model); ok {
		return &pr
	}
	return nil
}

func (p *comparePane) scoresView(col *column) string {
	var parts []string
	if s := col.human; s != nil {
		parts = append(parts, p.st.accent.Render(humanScoreText(*s)))
	}
	if p.hidden() {
		// Which scorers a column has tells its version: they wait too.
		if len(parts) == 0 && col.entry != nil {
			return p.st.muted.Render("s: score")
		}
		return strings.Join(parts, "")
	}
	for _, s := range col.auto {
		parts = append(parts, p.autoScoreText(s))
	}
	for _, name := range col.autoSkipped {
		parts = append(parts, p.st.muted.Render(name+": no expected"))
	}
	if len(parts) == 0 {
		if col.entry != nil && col.state != colCancelled {
			return p.st.muted.Render("s: score")
		}
		return ""
	}
	return strings.Join(parts, p.st.muted.Render(" · "))
}

func (p *comparePane) autoScoreText(s workspace.Score) string {
	switch {
	case s.Error != "":
		return p.st.warn.Render(s.Name + " !")
	case s.Pass != nil && *s.Pass:
		return p.st.ok.Render(s.Name + " ✓")
	case s.Pass != nil:
		return p.st.err.Render(s.Name + " ✗")
	}
	return p.st.text.Render(s.Name + " " + strconv.FormatFloat(s.Value, 'g', 3, 64))
}

// humanScoreText is a person's score in a few characters: "★4 note".
func humanScoreText(s workspace.Score) string {
	text := "★" + strconv.FormatFloat(s.Value, 'g', -1, 64)
	if s.Pass != nil {
		text = map[bool]string{true: "✓ pass", false: "✗ fail"}[*s.Pass]
	}
	if s.Comment != "" {
		text += " " + oneLine(s.Comment)
	}
	return text
}

// summaryLine says what ran: the prompt, the input and the modes.
func (p *comparePane) summaryLine() string {
	first := p.cols[0]
	parts := []string{strings.SplitN(first.ref, "@", 2)[0]}
	if id := string(first.input.ID); id != "form" {
		parts = append(parts, "dataset row "+oneLine(id))
	}
	if p.raw {
		parts = append(parts, "raw")
	} else {
		parts = append(parts, "markdown")
	}
	if p.diff {
		parts = append(parts, "word diff")
	}
	if p.hidden() {
		parts = append(parts, "blind")
	}
	if p.running() {
		parts = append(parts, "esc cancels")
	}
	if p.colWidth() < 24 && !p.c.zoomed {
		parts = append(parts, "z: zoom for room")
	}
	return p.st.muted.Render(strings.Join(parts, " · "))
}
