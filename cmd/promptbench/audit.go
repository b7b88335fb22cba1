package main

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

func (a *app) auditCommand() *cobra.Command {
	var f workspace.AuditFilter
	var since string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Who changed what and when: commits, tags, label moves, reviews, renames, deletions, imports",
		Long: `audit prints the audit trail, oldest first: every commit, tag change, label
move or removal, review step, rename, deletion and import, with author and
time. Events a teammate's export file brought in are shown with their own
authors and times. --prompt follows the prompt through its renames; --author
matches any part of the name, in any case.`,
		Example: `  promptbench audit
  promptbench audit --prompt support/reply --since 7d
  promptbench audit --author bob --json`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if f.Since, err = parseSince(since, a.now()); err != nil {
				return err
			}
			ws, err := a.openWorkspace("audit")
			if err != nil {
				return err
			}
			events, err := ws.AuditQuery(cmd.Context(), f)
			if err != nil {
				return err
			}
			if asJSON {
				if events == nil {
					events = []workspace.AuditEvent{}
				}
				return writeJSON(a.Out, events)
			}
			if len(events) == 0 {
				fmt.Fprintln(a.Err, "no audit events match")
				return nil
			}
			st := a.styles()
			rows := make([][]string, 0, len(events))
			for _, ev := range events {
				what := ev.Prompt
				if ev.Version > 0 {
					what = fmt.Sprintf("%s@%d", ev.Prompt, ev.Version)
				}
				detail := ev.Detail
				switch {
				case ev.Review != "" && ev.Action == workspace.AuditLabel:
					detail += " (review " + ev.Review + ")"
				case ev.Review != "":
					detail = strings.TrimSuffix(fmt.Sprintf("%s, review %s: %s", ev.Label, ev.Review, ev.Detail), ": ")
				}
				if ev.Forced {
					detail += " (forced)"
				}
				rows = append(rows, []string{ev.Time.Local().Format("2006-01-02 15:04:05"), termtext.Sanitize(ev.Author), ev.Action, what, termtext.Sanitize(oneLine(detail, 80))})
			}
			plain := lipgloss.NewStyle()
			printTable(a.out(), []string{"TIME", "AUTHOR", "ACTION", "PROMPT", "DETAIL"}, rows,
				[]lipgloss.Style{st.dim, plain, st.label, st.title, plain}, st.dim)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Prompt, "prompt", "", "only this prompt's events (following its renames)")
	fl.StringVar(&since, "since", "", "only events from DATE (2026-11-01), TIME (RFC 3339) or a duration ago (90m, 24h, 7d)")
	fl.StringVar(&f.Author, "author", "", "only events whose author contains A (any case)")
	fl.BoolVar(&asJSON, "json", false, "print the events as a JSON array")
	return cmd
}
