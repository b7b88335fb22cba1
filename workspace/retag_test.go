package workspace

import (
	"context"
	"strings"
	"testing"
)

func TestRetag(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	tags, _ := ParseTags([]string{"purpose:support"})
	d := text("x")
	d.Tags = tags
	mustCommit(t, ws, "p", d)
	add, _ := ParseTags([]string{"tone:formal"})
	desc := "Replies to tickets"
	p, _, err := ws.Retag(ctx, "p", add, tags, &desc)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Tags, ",") != "tone:formal" || p.Description != desc || p.Latest != 1 {
		t.Fatalf("after retag: %+v", p)
	}
	list := func(tag string) int {
		tt, _ := ParseTags([]string{tag})
		ps, err := ws.List(ctx, Filter{Tags: tt})
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	if list("purpose:support") != 0 || list("tone:formal") != 1 {
		t.Fatal("tag index not updated")
	}
	events, _ := ws.Audit(ctx, "p")
	if last := events[len(events)-1]; last.Action != AuditTag || last.Detail != "+tone:formal -purpose:support description" {
		t.Fatalf("audit = %+v", last)
	}
	if _, _, err := ws.Retag(ctx, "nope", add, nil, nil); err == nil {
		t.Fatal("retag of an unknown prompt succeeded")
	}
}
