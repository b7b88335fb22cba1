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
	message     string
	file        string
	text        bool
	tags        []string
	model       string
	temperature float64
	maxTokens   int
	description string
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
A text commit keeps the model config of the latest version. Flags override the file.`,
		Example: `  promptbench commit comedian -m "initial version" --tag purpose:humor --file v1.txt
  echo 'Tell a short joke about {{topic}}.' | promptbench commit comedian -m "shorter"
  promptbench commit support-reply --file support-reply.yaml -m "friendlier tone"`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.commit(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.message, "message", "m", "", "commit message")
	fl.StringVar(&f.file, "file", "", "prompt file, or - for stdin")
	fl.BoolVar(&f.text, "text", false, "treat the input as plain text even if it looks like YAML")
	fl.StringArrayVar(&f.tags, "tag", nil, "add a taxonomy tag facet:value (repeatable)")
	fl.StringVar(&f.model, "model", "", "model as provider/model, e.g. openai/gpt-4o-mini")
	fl.Float64Var(&f.temperature, "temperature", 0, "sampling temperature 0..2")
	fl.IntVar(&f.maxTokens, "max-tokens", 0, "maximum output tokens")
	fl.StringVar(&f.description, "description", "", "the prompt's description")
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
	d.Message = f.message
	ws, err := a.openWorkspace("commit")
	if err != nil {
		return err
	}
	d.Inherit = isPlainText(d)
	fl := cmd.Flags()
	if fl.Changed("model") {
		d.Config.Model = f.model
	}
	if fl.Changed("temperature") {
		d.Config.Temperature = &f.temperature
	}
	if fl.Changed("max-tokens") {
		d.Config.MaxTokens = f.maxTokens
	}
	if fl.Changed("description") {
		d.Description = &f.description
	}
	res, err := ws.Commit(cmd.Context(), name, d)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		a.warn(w)
	}
	v := res.Version
	fmt.Fprintf(a.Out, "committed %s@%d (%s) by %s", v.Prompt, v.Number, v.ShortHash(), v.Author)
	if len(v.Variables) > 0 {
		fmt.Fprintf(a.Out, "; variables: %v", v.Variables)
	}
	fmt.Fprintln(a.Out)
	return nil
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
