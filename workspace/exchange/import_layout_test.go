package exchange

import (
	"context"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"promptbench/workspace"
)

// TestImportOtherLayouts imports the same library written other ways —
// re-encoded by go-yaml (indented lists, other quoting), in flow style, and
// with comments — and expects the library export wrote.
func TestImportOtherLayouts(t *testing.T) {
	a := newTestWorkspace(t)
	// go-yaml's encoder writes a string of newlines (a stop sequence such
	// as "\n\n") as a block its own decoder refuses, so sampleLibrary is
	// not used here.
	mustCommit(t, a, "greet", text("Hello {{name}}"))
	mustCommit(t, a, "greet", text("Hi {{name}}!\nHow are you?\n"))
	mustCommit(t, a, "support/reply", workspace.Draft{Messages: msgs(workspace.RoleSystem, "Be brief.\n\n  Really.", workspace.RoleUser, "{{ticket}}"), Config: workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.5)}})
	if _, err := a.SetLabel(context.Background(), "greet@1", "production"); err != nil {
		t.Fatal(err)
	}
	want := exportString(t, a, ExportOptions{})
	var doc fileDoc
	if err := yaml.Unmarshal([]byte(want), &doc); err != nil {
		t.Fatal(err)
	}
	reencoded, err := yaml.MarshalWithOptions(doc, yaml.IndentSequence(true), yaml.UseSingleQuote(true))
	if err != nil {
		t.Fatal(err)
	}
	// go-yaml's flow encoder writes block scalars inside flow collections,
	// which no reader accepts; this flow document is written by hand.
	var greet1, greet2, reply string
	for _, p := range doc.Prompts {
		for _, v := range p.Versions {
			switch {
			case p.Name == "greet" && v.Number == 1:
				greet1 = v.Hash
			case p.Name == "greet":
				greet2 = v.Hash
			default:
				reply = v.Hash
			}
		}
	}
	created := func(name string) string {
		for _, p := range doc.Prompts {
			if p.Name == name {
				return p.Created
			}
		}
		return ""
	}
	var lab fileMove
	for _, p := range doc.Prompts {
		if l, ok := p.Labels["production"]; ok {
			lab = l.History[0]
		}
	}
	flow := `{schema: promptbench/v1, taxonomy: {strict: false, facets: {audience: [internal, consumer, enterprise], purpose: [support, classification, summarization, extraction, generation, evaluation, humor], tone: [formal, friendly, playful, neutral]}},
 prompts: [
  {name: greet, created: "` + created("greet") + `", labels: {production: {version: 1, history: [{version: 1, author: ` + lab.Author + `, time: "` + lab.Time + `"}]}},
   versions: [{number: 1, hash: "` + greet1 + `", author: alice, time: "` + doc.Prompts[0].Versions[0].Time + `", messages: [{role: user, content: "Hello {{name}}"}]},
              {number: 2, hash: "` + greet2 + `", parent: 1, author: alice, time: "` + doc.Prompts[0].Versions[1].Time + `", messages: [{role: user, content: "Hi {{name}}!\nHow are you?\n"}]}]},
  {name: support/reply, created: "` + created("support/reply") + `",
   versions: [{number: 1, hash: "` + reply + `", author: alice, time: "` + doc.Prompts[1].Versions[0].Time + `", model: openai/gpt-4o-mini, temperature: 0.5,
     messages: [{role: system, content: "Be brief.\n\n  Really."}, {role: user, content: "{{ticket}}"}]}]}]}
`
	commented := strings.Replace(want, "prompts:\n", "# reviewed by carol\nprompts:\n", 1)
	commented = strings.Replace(commented, "    author: alice\n", "    author: alice # the original author\n", 1)
	for name, data := range map[string]string{"go-yaml": string(reencoded), "flow": flow, "comments": commented} {
		t.Run(name, func(t *testing.T) {
			b := newTestWorkspace(t)
			plan, err := Import(context.Background(), b, name+".yaml", strings.NewReader(data), ImportOptions{})
			if err != nil {
				t.Fatalf("import: %v\n%s", err, data)
			}
			if len(plan.NewVersions) != 3 {
				t.Fatalf("plan = %+v", plan)
			}
			// The flow file carries no audit trail: compare what it does carry.
			if got := exportString(t, b, ExportOptions{}); name == "flow" && withoutAudit(got) != withoutAudit(want) || name != "flow" && got != want {
				t.Fatalf("export after importing the %s layout differs:\n%s", name, got)
			}
		})
	}
}

// withoutAudit is an export without its audit section (the last).
func withoutAudit(s string) string {
	before, _, _ := strings.Cut(s, "\naudit:\n")
	return before
}
