package tui

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// refreshDetail lays the opened entry out again (new width, new scores).
func (p *logsPane) refreshDetail() {
	if p.view != logsEntry || p.width <= 0 {
		return
	}
	e := p.selectedEntry()
	if e == nil {
		p.view = logsList
		return
	}
	p.detail.SetContent(p.entryText(*e))
}

// entryText is a whole entry: the call, its variables, the rendered
// messages, the output and the scores. Every stored text is untrusted
// and sanitised here.
func (p *logsPane) entryText(e workspace.LogEntry) string {
	st := p.c.styles
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	wrap := func(s string) string { return ansi.Wrap(s, p.width, "") }
	field := func(name, value string) {
		if value != "" {
			add(wrap(st.Prompt.Key.Render(name+" ") + st.Base.Text.Render(termtext.Sanitize(value))))
		}
	}
	section := func(title string) { add("", st.Prompt.Role.Render(title)) }

	add(st.Prompt.Title.Render(termtext.Sanitize(e.Prompt)) + st.Base.Muted.Render(fmt.Sprintf(" @%d · %s", e.Version, e.ID)))
	field("time", e.Time.Format(time.RFC3339)+" ("+p.c.ago(e.Time)+")")
	field("source", e.Source)
	if e.Run != "" {
		field("run", fmt.Sprintf("%s case %s repeat %d", e.Run, e.Case, e.Repeat))
	}
	field("model", e.Model)
	field("params", configText(e.Params))
	tokens := fmt.Sprintf("%d in · %d out", e.InputTokens, e.OutputTokens)
	if e.TokensEstimated {
		tokens += " (estimated)"
	}
	field("tokens", tokens)
	timing := "latency " + latencyCell(e.Latency)
	if e.TTFT > 0 {
		timing += " · first token " + latencyCell(e.TTFT)
	}
	field("timing", timing)
	cost := fmt.Sprintf("$%.6f", e.Cost)
	if e.Cached {
		cost += " (cached)"
	}
	field("cost", cost)
	if e.FinishReason != "" {
		field("finish", e.FinishReason)
	}
	if e.Error != "" {
		add(wrap(st.Base.Error.Render("error " + termtext.Sanitize(e.Error))))
	}

	section("SCORES")
	if len(e.Scores) == 0 {
		add(st.Base.Muted.Render("none yet: s scores this entry"))
	}
	for _, s := range e.Scores {
		line := fmt.Sprintf("%s %s by %s", s.Name, scoreWords(s), s.By)
		if s.Error != "" {
			line += ": " + s.Error
		}
		if s.Comment != "" {
			line += " — " + s.Comment
		}
		add(wrap(st.Base.Text.Render(termtext.Sanitize(line))))
	}

	if len(e.Variables) > 0 {
		section("VARIABLES")
		for _, name := range slices.Sorted(maps.Keys(e.Variables)) {
			add(wrap(st.Prompt.Variable.Render(termtext.Sanitize(name)) + " " + st.Base.Text.Render(termtext.Sanitize(valueText(e.Variables[name])))))
		}
	}
	for _, m := range e.Messages {
		section(strings.ToUpper(termtext.Sanitize(m.Role)))
		add(wrap(st.Base.Text.Render(termtext.Sanitize(m.Content))))
	}
	section("OUTPUT")
	add(wrap(st.Base.Text.Render(termtext.Sanitize(e.Output))))
	return strings.Join(lines, "\n")
}

// valueText is a variable's value as it was given: strings as they are,
// anything else as JSON.
func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// showRun lays the opened run's record out.
func (p *logsPane) showRun() {
	if p.runCursor >= len(p.runs) {
		p.view = logsRuns
		return
	}
	r := p.runs[p.runCursor]
	st := p.c.styles
	var lines []string
	field := func(name, value string) {
		if value == "" {
			return
		}
		// A value of several lines (fail_under, scorers) goes on under
		// its first line, not under the name, where it would read as
		// another field.
		indent := strings.Repeat(" ", ansi.StringWidth(name)+1)
		for i, l := range strings.Split(termtext.Sanitize(value), "\n") {
			lead := indent
			if i == 0 {
				lead = st.Prompt.Key.Render(name + " ")
			}
			lines = append(lines, ansi.Wrap(lead+st.Base.Text.Render(l), p.width, ""))
		}
	}
	lines = append(lines, st.Prompt.Title.Render("run "+termtext.Sanitize(string(r.ID))))
	field("status", string(r.Status))
	field("started", r.Started.Format(time.RFC3339)+" ("+p.c.ago(r.Started)+")")
	if !r.Ended.IsZero() {
		field("ended", r.Ended.Format(time.RFC3339)+" (took "+r.Ended.Sub(r.Started).Round(time.Millisecond).String()+")")
	}
	field("author", r.Author)
	field("dataset", r.Dataset)
	if r.DatasetHash != "" {
		field("dataset hash", r.DatasetHash[:min(12, len(r.DatasetHash))])
	}
	field("scorers", strings.Join(r.Scorers, ", "))
	field("counts", fmt.Sprintf("%d cases · %d calls · %d errors · %d skipped", r.Counts.Cases, r.Counts.Calls, r.Counts.Errors, r.Counts.Skipped))
	field("cost", fmt.Sprintf("$%.4f", r.Cost))
	for _, name := range slices.Sorted(maps.Keys(r.Options)) {
		field(name, r.Options[name])
	}
	lines = append(lines, "", st.Prompt.Role.Render("VARIANTS"))
	for _, v := range r.Variants {
		mark := "  "
		if v.Prompt == p.sel.name {
			mark = "• "
		}
		lines = append(lines, st.Base.Text.Render(termtext.Sanitize(fmt.Sprintf("%s%s  %s@%d  %s", mark, v.ID, v.Prompt, v.Version, v.Model))))
	}
	lines = append(lines, "", st.Base.Muted.Render("promptbench report "+termtext.Sanitize(string(r.ID))+" renders its report again."))
	p.detail.SetContent(strings.Join(lines, "\n"))
}
