package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

// exitProblems is doctor's exit code when it finds (or leaves) problems:
// the code an evaluation below its threshold has.
const exitProblems = exitBelow

func (a *app) doctorCommand() *cobra.Command {
	var repair, asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the store: hashes, prompt records, labels, includes, indexes; --repair fixes what loses no data",
		Long: `doctor checks the workspace store: every version's hash against its content,
each prompt record against its versions, labels, the includes of latest and
labelled versions, text encoding, the tag index, log entries, runs and their
index, the audit trail (each event against its time-ordered copy), the
response cache and a leftover import journal.

--repair fixes what can be fixed without losing data, in one durable
transaction, and prints one line per fix: index entries, derived fields, a
lost prompt record, an interrupted import, the audit trail's time-ordered
copies, versions an older promptbench committed with invalid UTF-8. What only you can resolve (a version changed
after commit, a label naming a missing version, a broken include) is
reported with what to do, never deleted.

Exit codes: 0 healthy, 1 problems found (with --repair: problems left),
3 the store cannot be opened.`,
		Example: `  promptbench doctor
  promptbench doctor --repair
  promptbench doctor --json`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := a.openWorkspace("doctor")
			if err != nil {
				return err
			}
			rep, err := ws.Doctor(cmd.Context(), repair)
			if err != nil {
				// Whatever kept the store from opening or being read, a
				// lock included, doctor's answer is "cannot check it":
				// exit 3. %v, not %w: the cause's kind must not turn it
				// into a usage error (exit 2) in exitCode.
				return fmt.Errorf("doctor cannot check the store: %v", err)
			}
			for _, w := range rep.Warnings {
				a.warn(w)
			}
			if asJSON {
				err = writeJSON(a.Out, doctorJSON(rep, repair))
			} else {
				printDoctor(a.Out, rep, repair)
			}
			if err == nil && !rep.Healthy() {
				return exitStatus(exitProblems) // the report said it
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&repair, "repair", false, "fix what can be fixed without losing data, and say what was done")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON (fields in the README)")
	return cmd
}

// printDoctor writes one line per problem (with what to do, indented), one
// per fix, and a summary.
func printDoctor(w io.Writer, rep workspace.DoctorReport, repair bool) {
	if rep.NoStore {
		fmt.Fprintln(w, "no store yet: nothing to check (the first commit or import creates it)")
		return
	}
	for _, p := range shown(rep, repair) {
		msg, todo := describeProblem(p)
		switch {
		case p.Fixed:
			done, _ := fixAction(p)
			fmt.Fprintf(w, "fixed: %s — %s\n", msg, done)
		case repair || !p.Repairable:
			fmt.Fprintf(w, "problem: %s\n", msg)
			fmt.Fprintf(w, "  what to do: %s\n", todo)
		default:
			_, will := fixAction(p)
			fmt.Fprintf(w, "problem: %s (doctor --repair %s)\n", msg, will)
		}
	}
	c := rep.Checked
	checked := "checked"
	if slices.ContainsFunc(rep.Problems, func(p workspace.Problem) bool { return p.Fixed }) {
		checked = "checked after the repair:" // the counts are the store's as it is now
	}
	fmt.Fprintf(w, "%s %s, %s, %s, %s, %s, %s, %s (%s), %s (%s), %s\n", checked,
		plural(c.Prompts, "prompt"), plural(c.Versions, "version"), plural(c.Labels, "label"),
		plural(c.Includes, "include"), plural(c.TagEntries, "tag index entry"), plural(c.LogEntries, "log entry"),
		plural(c.Runs, "run"), plural(c.RunIndexEntries, "run index entry"),
		plural(c.AuditEvents, "audit event"), copies(c.AuditCopies), plural(c.CachedResponses, "cached response"))
	fixed, repairable := 0, 0
	for _, p := range rep.Problems {
		if p.Fixed {
			fixed++
		}
		if p.Repairable {
			repairable++
		}
	}
	switch {
	case len(rep.Problems) == 0:
		fmt.Fprintln(w, "healthy: no problems found")
	case repair && rep.Healthy():
		fmt.Fprintf(w, "repaired %s; the store is healthy now\n", plural(fixed, "problem"))
	case repair:
		fmt.Fprintf(w, "repaired %s; %s left that doctor cannot fix without losing data (see \"what to do\")\n", plural(fixed, "problem"), plural(len(rep.Remaining), "problem"))
	case repairable > 0:
		fmt.Fprintf(w, "%s found; `promptbench doctor --repair` fixes %d of them without losing data\n", plural(len(rep.Problems), "problem"), repairable)
	default:
		fmt.Fprintf(w, "%s found; none can be fixed without losing data (see \"what to do\")\n", plural(len(rep.Problems), "problem"))
	}
}

// doctorProblem is one problem in --json: the domain's fields plus their
// wording.
type doctorProblem struct {
	workspace.Problem
	Message string `json:"message"`
	Advice  string `json:"advice,omitempty"` // what to do, when doctor does not fix it
	Action  string `json:"action,omitempty"` // what --repair did
}

type doctorOutput struct {
	Healthy   bool                   `json:"healthy"`
	Repair    bool                   `json:"repair"`
	NoStore   bool                   `json:"no_store"`
	Checked   workspace.DoctorCounts `json:"checked"`
	Problems  []doctorProblem        `json:"problems"`
	Remaining int                    `json:"remaining"`
}

func doctorJSON(rep workspace.DoctorReport, repair bool) doctorOutput {
	out := doctorOutput{Healthy: rep.Healthy(), Repair: repair, NoStore: rep.NoStore, Checked: rep.Checked,
		Problems: []doctorProblem{}, Remaining: len(rep.Remaining)}
	for _, p := range shown(rep, repair) {
		msg, todo := describeProblem(p)
		dp := doctorProblem{Problem: p, Message: msg}
		if p.Fixed {
			dp.Action, _ = fixAction(p)
		} else {
			dp.Advice = todo
		}
		out.Problems = append(out.Problems, dp)
	}
	return out
}

// shown is what the report lists: the problems found, or after a repair
// the ones it fixed followed by what a check afterwards still finds.
func shown(rep workspace.DoctorReport, repair bool) []workspace.Problem {
	if !repair {
		return rep.Problems
	}
	var out []workspace.Problem
	for _, p := range rep.Problems {
		if p.Fixed {
			out = append(out, p)
		}
	}
	return append(out, rep.Remaining...)
}
