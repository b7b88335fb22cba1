package main

import (
	"fmt"
	"strconv"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"promptbench/eval/provider"
)

func (a *app) modelsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "models",
		Short: "List the providers (built-in and configured) and their models with prices",
		Long: `models lists every provider a model can be written with (provider/model): the
built-in openai, ollama and echo and those in config.yaml, with the variable
each reads its key from (whether it is set, never the key), then the models with
known prices in USD per million tokens: prices from config.yaml, and OpenAI's
list prices for openai. A server may serve models not listed here; they run
without a price.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := a.openWorkspace("models")
			if err != nil {
				return err
			}
			reg, err := provider.NewRegistry(ws.Config.Providers, provider.Options{Getenv: a.getenv})
			if err != nil {
				return inputError(err)
			}
			infos := reg.Catalog()
			if asJSON {
				return writeJSON(a.Out, infos)
			}
			a.printCatalog(infos)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: an array of providers with their models")
	return cmd
}

func (a *app) printCatalog(infos []provider.Info) {
	st := a.styles()
	w := a.out()
	plain := lipgloss.NewStyle()
	rows := make([][]string, 0, len(infos))
	for _, p := range infos {
		key := "none"
		if p.KeyEnv != "" {
			key = p.KeyEnv + " (not set)"
			if p.KeySet {
				key = p.KeyEnv + " (set)"
			}
		}
		where := p.BaseURL
		if p.Kind == provider.KindEcho {
			where = "offline: answers with the prompt"
		}
		rows = append(rows, []string{p.Name, p.Kind, where, key})
	}
	printTable(w, []string{"PROVIDER", "KIND", "BASE URL", "KEY"}, rows, []lipgloss.Style{st.title, plain, st.dim, plain}, st.dim)
	fmt.Fprintln(w)
	rows = rows[:0]
	var unpriced []string
	for _, p := range infos {
		if len(p.Models) == 0 {
			unpriced = append(unpriced, p.Name)
		}
		for _, m := range p.Models {
			note := ""
			if m.ListPrice {
				note = "OpenAI list price"
			}
			rows = append(rows, []string{p.Name + "/" + m.Name, price(m.Price.Input), price(m.Price.Output), note})
		}
	}
	printTable(w, []string{"MODEL", "INPUT $/M", "OUTPUT $/M", ""}, rows, []lipgloss.Style{st.title, plain, plain, st.dim}, st.dim)
	for _, name := range unpriced {
		fmt.Fprintf(w, "%s/…: any model the server has; no prices configured (prices: in config.yaml)\n", name)
	}
}

func price(usd float64) string { return strconv.FormatFloat(usd, 'f', -1, 64) }
