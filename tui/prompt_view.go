package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// content is the whole scrollable text of a loaded version.
func (p *promptPane) content(l *promptLoadedMsg) string {
	st := p.c.styles
	ps := st.Prompt
	v, pr := l.version, l.prompt
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	field := func(name, value string) {
		if value != "" {
			add(wrapField(ps.Key.Render(name+" "), ps.Value.Render(value), p.width))
		}
	}

	head := ps.Title.Render(termtext.Sanitize(pr.Name)) + st.Base.Muted.Render(" @"+strconv.Itoa(v.Number))
	if v.Number == pr.Latest {
		head += st.Base.Muted.Render(" (latest)")
	}
	add(head)
	if pr.Description != "" {
		add(ansi.Wrap(st.Base.Text.Render(termtext.Sanitize(pr.Description)), p.width, ""))
	}
	meta := v.ShortHash() + " · " + termtext.Sanitize(v.Author)
	if ago := p.c.ago(v.Time); ago != "" {
		meta += " · " + ago
	}
	add(st.Base.Muted.Render(meta))
	if v.Message != "" {
		add(ansi.Wrap(st.Base.Text.Render("“"+termtext.Sanitize(v.Message)+"”"), p.width, ""))
	}
	add("")
	if len(pr.Labels) > 0 {
		// This version's labels as badges, the others with where they point.
		var b strings.Builder
		for _, l := range sortedLabels(pr.Labels) {
			if n := pr.Labels[l]; n == v.Number {
				b.WriteString(ps.Label.Render(termtext.Sanitize(l)) + " ")
			} else {
				b.WriteString(st.Base.Muted.Render(termtext.Sanitize(l)+"@"+strconv.Itoa(n)) + " ")
			}
		}
		add(wrapField(ps.Key.Render("labels "), b.String(), p.width))
	}
	if len(pr.Tags) > 0 {
		add(wrapField(ps.Key.Render("tags "), ps.Tag.Render(termtext.Sanitize(strings.Join(pr.Tags, " "))), p.width))
	}
	field("model", termtext.Sanitize(configText(v.Config)))
	if len(v.Variables) > 0 {
		add(wrapField(ps.Key.Render("variables "), ps.Variable.Render(termtext.Sanitize(strings.Join(v.Variables, ", "))), p.width))
	}
	field("scorers", termtext.Sanitize(strings.Join(v.Scorers, ", ")))
	field("log", summaryText(l.summary, l.logged))
	for _, m := range v.Messages {
		add("", ps.Role.Render(strings.ToUpper(termtext.Sanitize(m.Role))))
		add(renderPrompt(p.c, termtext.Sanitize(m.Content), p.width))
	}
	return strings.Join(lines, "\n")
}

// wrapField puts a styled name before a value, wrapping to width.
func wrapField(name, value string, width int) string {
	return ansi.Wrap(name+value, width, "")
}

// configText is the model and the parameters set, on one line.
func configText(c workspace.ModelConfig) string {
	parts := []string{c.Model}
	if c.Model == "" {
		parts[0] = "(default)"
	}
	if c.Temperature != nil {
		parts = append(parts, "temperature "+strconv.FormatFloat(*c.Temperature, 'g', -1, 64))
	}
	if c.TopP != nil {
		parts = append(parts, "top_p "+strconv.FormatFloat(*c.TopP, 'g', -1, 64))
	}
	if c.MaxTokens > 0 {
		parts = append(parts, "max_tokens "+strconv.Itoa(c.MaxTokens))
	}
	if c.Seed != nil {
		parts = append(parts, "seed "+strconv.FormatInt(*c.Seed, 10))
	}
	if len(c.Stop) > 0 {
		parts = append(parts, "stop "+strconv.Quote(strings.Join(c.Stop, ",")))
	}
	if rf := c.ResponseFormat; rf != nil && rf.Type != "" && rf.Type != "text" {
		parts = append(parts, "format "+rf.Type)
	}
	return strings.Join(parts, " · ")
}

// summaryText is a version's log in one line: calls, mean score, pass
// rate, median latency and cost.
func summaryText(s workspace.LogSummary, logged bool) string {
	if !logged || s.Count == 0 {
		return "no calls yet"
	}
	parts := []string{plural(s.Count, "call")}
	if s.Errors > 0 {
		parts = append(parts, plural(s.Errors, "error"))
	}
	if s.Scored > 0 {
		parts = append(parts, "mean score "+strconv.FormatFloat(s.MeanScore, 'f', 2, 64))
	}
	if s.Judged > 0 {
		parts = append(parts, fmt.Sprintf("pass %.0f%% of %d", 100*s.PassRate, s.Judged))
	}
	if s.P50Latency > 0 {
		parts = append(parts, "p50 "+s.P50Latency.Round(time.Millisecond).String())
	}
	parts = append(parts, fmt.Sprintf("$%.4f", s.Cost))
	return strings.Join(parts, " · ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
