package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) renderCommand() *cobra.Command {
	var pairs []string
	var varsFile string
	var asJSON bool
	var experiment, abKey string
	cmd := &cobra.Command{
		Use:   "render REF",
		Short: "Fill a version's templates with variables and print the messages",
		Long: `Rendering is strict: every variable the template needs must be given, and all
missing ones are named in one error. Supplied variables nothing uses are warned about.`,
		Example: `  promptbench render comedian --var topic=cats
  promptbench render support-reply@production --vars case.json --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			vars, err := parseVars(varsFile, pairs)
			if err != nil {
				return err
			}
			if (experiment == "") != (abKey == "") {
				return usagef("--experiment EXP and --ab-key KEY go together: the key (a user id) picks the experiment's variant")
			}
			if experiment != "" && !workspace.IsBareName(args[0]) {
				return usagef(fmt.Sprintf("with --experiment, name the prompt without @ (%s): the experiment picks the version", strings.SplitN(args[0], "@", 2)[0]))
			}
			ws, err := a.openWorkspace("render")
			if err != nil {
				return err
			}
			var r workspace.Rendered
			var er workspace.ExperimentRendered
			if experiment != "" {
				er, err = ws.RenderExperiment(cmd.Context(), args[0], experiment, abKey, vars)
				r = er.Rendered
			} else {
				r, err = ws.Render(cmd.Context(), args[0], vars)
			}
			if err != nil {
				return err
			}
			warnings := make([]string, 0, len(r.Unused))
			for _, u := range r.Unused {
				warnings = append(warnings, fmt.Sprintf("variable %q is not used by %s@%d", u, r.Prompt.Name, r.Version.Number))
			}
			if asJSON {
				doc := renderJSON{
					Prompt: r.Prompt.Name, Version: r.Version.Number, Hash: r.Version.Hash,
					Messages: r.Messages, Warnings: warnings,
				}
				if experiment != "" {
					doc.Experiment = &experimentJSON{Name: er.Experiment, Key: abKey, Variant: er.Variant, Bucket: er.Bucket, Stopped: er.Stopped}
				}
				return writeJSON(a.Out, doc)
			}
			if experiment != "" {
				// On stderr, so that stdout stays the exact rendered text.
				variant := "variant " + er.Variant
				if er.Variant == "" {
					variant = "production (stopped without a winner)"
				} else if er.Stopped {
					variant = "the winner " + er.Variant + " (stopped)"
				}
				fmt.Fprintf(a.Err, "experiment %s: %s gets %s: %s@%d (bucket %d)\n", er.Experiment, abKey, variant, r.Prompt.Name, r.Version.Number, er.Bucket)
			}
			for _, w := range warnings {
				a.warn(w)
			}
			printMessages(a, r.Messages)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&pairs, "var", nil, "a variable: name=text, or name:=JSON (false, [], 3); repeatable, dotted names nest")
	cmd.Flags().StringVar(&varsFile, "vars", "", "a JSON file with an object of variables")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&experiment, "experiment", "", "render the version this experiment assigns --ab-key (REF is then the prompt's bare name)")
	cmd.Flags().StringVar(&abKey, "ab-key", "", "the key (user id) whose variant --experiment renders")
	return cmd
}

// renderJSON is the stable `render --json` document.
type renderJSON struct {
	Prompt   string              `json:"prompt"`
	Version  int                 `json:"version"`
	Hash     string              `json:"hash"`
	Messages []workspace.Message `json:"messages"`
	Warnings []string            `json:"warnings"`
	// Experiment says which variant an --experiment render chose.
	Experiment *experimentJSON `json:"experiment,omitempty"`
}

type experimentJSON struct {
	Name    string `json:"name"`
	Key     string `json:"key"`
	Variant string `json:"variant,omitempty"`
	Bucket  int    `json:"bucket"`
	Stopped bool   `json:"stopped,omitempty"`
}

// printMessages prints one user message as its bare text, so that
// `render` pipes cleanly: the exact rendered bytes, plus a newline only when
// they lack one. Several messages get a [role] header each.
func printMessages(a *app, msgs []workspace.Message) {
	if len(msgs) == 1 && msgs[0].Role == workspace.RoleUser {
		a.printText(a.Out, msgs[0].Content)
		return
	}
	st := a.styles()
	w := a.out()
	for i, m := range msgs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, st.title.Render("["+m.Role+"]"))
		a.printText(w, m.Content)
	}
}
