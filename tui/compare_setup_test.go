package tui

import "testing"

// TestCompareVariableEnterSaysNext: enter in a variable's value moves on
// to the next variable, and the key help says so; on the last it is done.
func TestCompareVariableEnterSaysNext(t *testing.T) {
	d := newLiveDriver(t, demoWorkspace(t), CompareOptions{}, 120, 30)
	d.openCompare("support/reply", 3)
	d.keys("jj⏎") // the first variable, company
	d.mustShow("enter next variable")
	d.keys("Acme⏎")
	d.mustShow("enter next variable")
	d.keys("⏎") // the last one, ticket
	d.mustShow("enter done")
	d.keys("⏎")
	if d.m.compare.input != inputNone {
		t.Fatal("enter on the last variable did not end the typing")
	}
	if got := d.m.compare.setup.values["company"]; got != "Acme" {
		t.Fatalf("company = %q", got)
	}
}
