package main

import (
	"os"

	"promptbench/eval/evalrun"
	"promptbench/eval/provider"
	"promptbench/eval/scorer"
	"promptbench/tui"
	"promptbench/workspace"
)

// compareOptions wires the Compare pane to the same registry, prices and
// scorers `run` and `--eval` use.
func (a *app) compareOptions(ws *workspace.Workspace) (tui.CompareOptions, error) {
	reg, err := provider.NewRegistry(ws.Config.Providers, provider.Options{Getenv: a.getenv})
	if err != nil {
		return tui.CompareOptions{}, inputError(err)
	}
	var models []string
	for _, info := range reg.Catalog() {
		for _, m := range info.Models {
			// OpenAI's price list names models a keyless provider
			// cannot call: offer them once the key is set.
			if !m.ListPrice || info.KeySet {
				models = append(models, info.Name+"/"+m.Name)
			}
		}
	}
	dir, _ := os.Getwd()
	return tui.CompareOptions{
		Client: reg,
		Models: models,
		Price: func(model string) (workspace.Price, bool) {
			p, name, err := reg.Resolve(model)
			if err != nil {
				return workspace.Price{}, false
			}
			return p.Price(name)
		},
		Scorers: scorer.Options{
			Dir:    dir,
			Rubric: ws.Prepare,
			Judge:  evalrun.NewJudge(ws, reg, false, func() workspace.RunID { return "" }, a.now),
		},
		Workspace: ws.Dir,
	}, nil
}
