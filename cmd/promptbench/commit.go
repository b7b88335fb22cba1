package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/charmbracelet/x/term"

	"promptbench/workspace"
)

type commitFlags struct {
	message        string
	file           string
	text           bool
	tags           []string
	model          string
	temperature    float64
	topP           float64
	maxTokens      int
	stop           []string
	seed           int64
	responseFormat string
	description    string
	dryRun         bool
	asJSON         bool
}

func (a *app) commitCommand() *cobra.Command {
	var f commitFlags
	cmd := &cobra.Command{
		Use:   "commit NAME",
		Short: "Commit a new version of a prompt from a file or stdin",
		Long: `The content comes from --file FILE, or from stdin (--file - or a pipe).
A *.yaml/*.yml file is a prompt file: messages, model config, description, tags,
scorers. Any other file is a prompt file only when it is a YAML mapping with a
messages key; otherwise its whole text is one user message (--text forces that).
A text commit keeps the model config of the latest version. Flags override the file.

The commit message comes from -m; without it, on a terminal, $EDITOR (else vi)
opens for it, as git does; elsewhere -m is required. --dry-run shows the version
the commit would make (number, hash, the config it inherits) and its diff against
the latest version, and writes nothing.`,
		Example: `  promptbench commit comedian -m "initial version" --tag purpose:humor --file v1.txt
  echo 'Tell a short joke about {{topic}}.' | promptbench commit comedian -m "shorter"
  promptbench commit support-reply --file support-reply.yaml -m "friendlier tone"`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.commit(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.message, "message", "m", "", "commit message (without it, $EDITOR opens on a terminal)")
	fl.StringVar(&f.file, "file", "", "prompt file, or - for stdin")
	fl.BoolVar(&f.text, "text", false, "treat the input as plain text even if it looks like YAML")
	fl.StringArrayVar(&f.tags, "tag", nil, "add a taxonomy tag facet:value (repeatable)")
	fl.StringVar(&f.model, "model", "", "model as provider/model, e.g. openai/gpt-4o-mini")
	fl.Float64Var(&f.temperature, "temperature", 0, "sampling temperature 0..2")
	fl.Float64Var(&f.topP, "top-p", 0, "nucleus sampling top_p 0..1")
	fl.IntVar(&f.maxTokens, "max-tokens", 0, "maximum output tokens")
	fl.StringArrayVar(&f.stop, "stop", nil, "a stop sequence (repeatable)")
	fl.Int64Var(&f.seed, "seed", 0, "sampling seed")
	fl.StringVar(&f.responseFormat, "response-format", "", "text, json_object, or a file holding a JSON schema (or a whole response_format)")
	fl.StringVar(&f.description, "description", "", "the prompt's description")
	fl.BoolVar(&f.dryRun, "dry-run", false, "show the version the commit would make and its diff against the latest; write nothing")
	fl.BoolVar(&f.asJSON, "json", false, "print the version made (or, with --dry-run, the one that would be) as JSON")
	return cmd
}

func (a *app) commit(cmd *cobra.Command, name string, f commitFlags) error {
	if err := workspace.ValidateName(name); err != nil {
		return err
	}
	data, source, err := a.readPromptInput(f.file)
	if err != nil {
		return err
	}
	d, err := workspace.ParsePromptFile(source, data, f.text)
	if err != nil {
		return err
	}
	extra, err := workspace.ParseTags(f.tags)
	if err != nil {
		return err
	}
	d.Tags = workspace.SortTags(append(d.Tags, extra...))
	d.Inherit = isPlainText(d)
	if err := a.applyConfigFlags(cmd, &d, f); err != nil {
		return err
	}
	ws, err := a.openWorkspace("commit")
	if err != nil {
		return err
	}
	if f.dryRun {
		d.Message = f.message
		dr, err := ws.CommitDryRun(cmd.Context(), name, d)
		if err != nil {
			return err
		}
		return a.printDryRun(dr, f.asJSON)
	}
	if !cmd.Flags().Changed("message") && a.interactive {
		// Everything is checked before the editor opens, as git does:
		// no message is written for a commit that cannot be made.
		if _, err := ws.CommitDryRun(cmd.Context(), name, d); err != nil {
			return err
		}
	}
	if d.Message, err = a.commitMessage(cmd, name, f.message); err != nil {
		return err
	}
	res, err := ws.Commit(cmd.Context(), name, d)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		a.warn(w)
	}
	v := res.Version
	if f.asJSON {
		return writeJSON(a.Out, commitJSON{Prompt: res.Prompt, Version: v, Created: res.Created})
	}
	fmt.Fprintf(a.Out, "committed %s@%d (%s) by %s", v.Prompt, v.Number, v.ShortHash(), v.Author)
	if len(v.Variables) > 0 {
		fmt.Fprintf(a.Out, "; variables: %v", v.Variables)
	}
	fmt.Fprintln(a.Out)
	return nil
}

// applyConfigFlags lets the model-config flags override the file.
func (a *app) applyConfigFlags(cmd *cobra.Command, d *workspace.Draft, f commitFlags) error {
	fl := cmd.Flags()
	if fl.Changed("model") {
		d.Config.Model = f.model
	}
	if fl.Changed("temperature") {
		d.Config.Temperature = &f.temperature
	}
	if fl.Changed("top-p") {
		d.Config.TopP = &f.topP
	}
	if fl.Changed("max-tokens") {
		d.Config.MaxTokens = f.maxTokens
	}
	if fl.Changed("stop") {
		d.Config.Stop = f.stop
	}
	if fl.Changed("seed") {
		d.Config.Seed = &f.seed
	}
	if fl.Changed("response-format") {
		rf, err := responseFormatFlag(f.responseFormat)
		if err != nil {
			return err
		}
		d.Config.ResponseFormat = rf
	}
	if fl.Changed("description") {
		d.Description = &f.description
	}
	return nil
}

// responseFormatFlag reads --response-format: a type, or a file.
func responseFormatFlag(v string) (*workspace.ResponseFormat, error) {
	switch v {
	case "text", "json_object":
		return &workspace.ResponseFormat{Type: v}, nil
	case "", "json_schema":
		return nil, usagef("--response-format takes text, json_object, or a file holding a JSON schema (e.g. --response-format person.schema.json)")
	}
	data, err := os.ReadFile(v)
	if err != nil {
		return nil, usagef(fmt.Sprintf("--response-format: %v; give text, json_object, or a JSON schema file", err))
	}
	return workspace.ResponseFormatFile(v, data)
}

// commitJSON is the stable `commit --json` document (and `--dry-run
// --json`, where nothing was written).
type commitJSON struct {
	Prompt  workspace.Prompt  `json:"prompt"`
	Version workspace.Version `json:"version"`
	Created bool              `json:"created,omitempty"`
	DryRun  bool              `json:"dry_run,omitempty"`
}

// isPlainText tells a draft made of one text message and no config.
func isPlainText(d workspace.Draft) bool {
	return len(d.Messages) == 1 && d.Config.Model == "" && d.Description == nil && d.Scorers == nil
}

// readPromptInput reads --file, or stdin when it is "-" or piped.
func (a *app) readPromptInput(file string) ([]byte, string, error) {
	if file != "" && file != "-" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, "", usagef(fmt.Sprintf("--file: %v", err))
		}
		return data, file, nil
	}
	if file == "" {
		if f, ok := a.In.(*os.File); ok && term.IsTerminal(f.Fd()) {
			return nil, "", usagef("commit needs content: pass --file FILE, or pipe it in (--file - reads stdin)")
		}
	}
	data, err := io.ReadAll(io.LimitReader(a.In, 16<<20))
	if err != nil {
		return nil, "", fmt.Errorf("read stdin: %w", err)
	}
	return data, "-", nil
}
