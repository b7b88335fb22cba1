package dataset_test

import (
	"strings"
	"testing"

	"promptbench/eval/dataset"
	"promptbench/workspace/template"
)

// TestRowsFeedTemplates: nested JSON objects and dotted CSV headers are
// what {{a.b}} looks up, lists of objects are what sections iterate, and
// numbers print as written, through the template engine itself.
func TestRowsFeedTemplates(t *testing.T) {
	tpl, err := template.Parse("{{customer.name}} ({{customer.tier}}) ordered {{#items}}{{qty}}×{{sku}} {{/items}}for {{total}}{{^notes}}, no notes{{/notes}}")
	if err != nil {
		t.Fatal(err)
	}
	inputs := []struct {
		f   dataset.Format
		src string
	}{
		{dataset.JSONL, `{"customer": {"name": "Ana", "tier": "gold"}, "items": [{"sku": "A1", "qty": 2}, {"sku": "B7", "qty": 1}], "total": 12.50, "notes": []}`},
		{dataset.JSON, `[{"customer": {"name": "Ana", "tier": "gold"}, "items": [{"sku": "A1", "qty": 2}, {"sku": "B7", "qty": 1}], "total": 12.50, "notes": []}]`},
		{dataset.CSV, "customer.name,customer.tier,items:json,total:json,notes:json\nAna,gold,\"[{\"\"sku\"\": \"\"A1\"\", \"\"qty\"\": 2}, {\"\"sku\"\": \"\"B7\"\", \"\"qty\"\": 1}]\",12.50,\n"},
	}
	want := "Ana (gold) ordered 2×A1 1×B7 for 12.50, no notes"
	for _, in := range inputs {
		for row, err := range dataset.Decode("x", in.f, strings.NewReader(in.src)) {
			if err != nil {
				t.Fatal(err)
			}
			res, err := tpl.Render(row.Vars, nil)
			if err != nil {
				t.Fatalf("%s: %v", in.f, err)
			}
			if res.Text != want {
				t.Errorf("%s renders %q, want %q", in.f, res.Text, want)
			}
		}
	}
}
