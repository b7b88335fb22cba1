package exchange

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"promptbench/testdata"
	"promptbench/workspace"
)

var update = flag.Bool("update", false, "rewrite testdata/demo/library.yaml from the demo defined in this file")

// demoStep is one change to the demo library, made by who at when.
type demoStep struct {
	who, when string
	name      string // commit: the prompt
	d         workspace.Draft
	ref       string // label: the version
	label     string
}

func f64(f float64) *float64 { return &f }

func msgs(pairs ...string) []workspace.Message {
	var out []workspace.Message
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, workspace.Message{Role: pairs[i], Content: pairs[i+1]})
	}
	return out
}

func demoTags(tags ...string) []workspace.Tag {
	t, err := workspace.ParseTags(tags)
	if err != nil {
		panic(err)
	}
	return t
}

func desc(s string) *string { return &s }

const replySystem = `You are a support agent for {{company}}. Answer the customer's ticket.
{{> support/style}}`

// demoSteps is the demo library's whole history, in order.
func demoSteps() []demoStep {
	mini := workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.3)}
	echo := workspace.ModelConfig{Model: "echo/echo"}
	invoiceSchema := json.RawMessage(`{"type":"object","properties":{"invoice_number":{"type":"string"},"total":{"type":"number"},"currency":{"type":"string"},"due_date":{"type":"string"}},"required":["invoice_number","total","currency"],"additionalProperties":false}`)
	return []demoStep{
		{who: "alice", when: "2026-09-01T09:12:00Z", name: "support/style", d: workspace.Draft{
			Messages:    msgs(workspace.RoleUser, "Write in short paragraphs. Be warm but not gushing: no exclamation marks, no \"we apologise for any inconvenience\". Offer one concrete next step."),
			Description: desc("House style for customer replies; included by other support prompts"),
			Tags:        demoTags("purpose:support", "tone:friendly", "audience:consumer"),
			Message:     "House style for support replies",
		}},
		{who: "alice", when: "2026-09-01T09:14:00Z", ref: "support/style@1", label: "production"},
		{who: "alice", when: "2026-09-01T09:30:00Z", name: "support/reply", d: workspace.Draft{
			Messages:    msgs(workspace.RoleSystem, "You are a support agent for {{company}}. Answer the customer's ticket politely.", workspace.RoleUser, "{{ticket}}"),
			Config:      mini,
			Description: desc("Replies to a customer support ticket"),
			Tags:        demoTags("purpose:support", "tone:friendly", "audience:consumer"),
			Message:     "First reply prompt",
		}},
		{who: "bob", when: "2026-09-03T14:05:00Z", name: "support/reply", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, replySystem, workspace.RoleUser, "Customer: {{customer.name}}\nTicket:\n{{ticket}}"),
			Config:   workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.3), MaxTokens: 400},
			Scorers:  []string{"not-contains:inconvenience"},
			Message:  "Use the house style and address the customer by name",
		}},
		{who: "bob", when: "2026-09-03T15:00:00Z", ref: "support/reply@2", label: "production"},
		{who: "carol", when: "2026-09-10T10:20:00Z", name: "support/reply", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, replySystem+"\nIf the ticket mentions a refund, say how long refunds take (5 to 7 working days).", workspace.RoleUser, "Customer: {{customer.name}}\nTicket:\n{{ticket}}"),
			Config:   workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.2), MaxTokens: 400},
			Scorers:  []string{"not-contains:inconvenience"},
			Message:  "State refund timing; lower temperature",
		}},
		{who: "carol", when: "2026-09-10T10:25:00Z", ref: "support/reply@3", label: "staging"},

		{who: "dmitri", when: "2026-09-02T08:00:00Z", name: "support/ticket-classifier", d: workspace.Draft{
			Messages:    msgs(workspace.RoleSystem, "Classify the support ticket into one of: billing, shipping, bug, account. Answer with the category only.", workspace.RoleUser, "{{ticket}}"),
			Config:      workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0)},
			Description: desc("Routes incoming tickets to a queue"),
			Tags:        demoTags("purpose:classification", "tone:neutral", "audience:internal"),
			Message:     "Four-way ticket classifier",
		}},
		{who: "dmitri", when: "2026-09-04T16:40:00Z", name: "support/ticket-classifier", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, `Classify the support ticket into exactly one category.

Categories:
- billing: charges, invoices, refunds, VAT
- shipping: delivery, tracking, pick-up
- bug: the product misbehaves
- account: login, password, email, deletion

Reply with JSON: {"category": "...", "confidence": 0.0-1.0}`, workspace.RoleUser, "{{ticket}}"),
			Config:  workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0), ResponseFormat: &workspace.ResponseFormat{Type: "json_object"}},
			Scorers: []string{"json"},
			Message: "Describe each category; JSON output with confidence",
		}},
		{who: "dmitri", when: "2026-09-04T17:00:00Z", ref: "support/ticket-classifier@2", label: "production"},

		{who: "carol", when: "2026-09-05T11:00:00Z", name: "summarize/article", d: workspace.Draft{
			Messages:    msgs(workspace.RoleUser, "Summarise this article:\n\n{{article}}"),
			Config:      mini,
			Description: desc("One-paragraph news summary"),
			Tags:        demoTags("purpose:summarization", "tone:neutral", "audience:consumer"),
			Message:     "Plain summary",
		}},
		{who: "carol", when: "2026-09-06T09:30:00Z", name: "summarize/article", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, "You write neutral news summaries. Keep numbers and names exact.", workspace.RoleUser, "Summarise in at most {{max_words}} words:\n\n{{article}}"),
			Config:   mini,
			Message:  "Word limit; keep facts exact",
		}},
		{who: "alice", when: "2026-09-12T13:15:00Z", name: "summarize/article", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, "You write neutral news summaries. Keep numbers and names exact. Never add facts that are not in the article.", workspace.RoleUser, "Summarise in at most {{max_words}} words, one sentence:\n\n{{article}}"),
			Config:   workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.1)},
			Scorers:  []string{"similarity:0.6"},
			Message:  "One sentence; forbid invented facts",
		}},
		{who: "alice", when: "2026-09-12T13:20:00Z", ref: "summarize/article@3", label: "production"},

		{who: "dmitri", when: "2026-09-08T10:00:00Z", name: "sql/generator", d: workspace.Draft{
			Messages:    msgs(workspace.RoleSystem, "You translate questions into PostgreSQL. Use only the tables below. Return one SQL statement and nothing else.\n\nSchema:\n{{schema}}", workspace.RoleUser, "{{question}}"),
			Config:      workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0), Stop: []string{";"}},
			Description: desc("Natural-language questions to read-only SQL"),
			Tags:        demoTags("purpose:generation", "tone:formal", "audience:internal"),
			Message:     "SQL generator with schema in the system prompt",
		}},
		{who: "dmitri", when: "2026-09-08T10:05:00Z", ref: "sql/generator@1", label: "production"},
		{who: "bob", when: "2026-09-15T17:45:00Z", name: "sql/generator", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, "You translate questions into PostgreSQL. Use only the tables below. Return one SELECT statement and nothing else; never write INSERT, UPDATE, DELETE or DDL.\n\nSchema:\n{{schema}}", workspace.RoleUser, "{{question}}"),
			Config:   workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0), Stop: []string{";"}, Seed: func() *int64 { s := int64(42); return &s }()},
			Scorers:  []string{"regex:(?i)^\\s*select\\b", "not-contains:DELETE"},
			Message:  "Read-only: SELECT only",
		}},
		{who: "bob", when: "2026-09-15T18:00:00Z", ref: "sql/generator@2", label: "staging"},

		{who: "erin", when: "2026-09-09T12:00:00Z", name: "marketing/product-description", d: workspace.Draft{
			Messages:    msgs(workspace.RoleUser, "Write a product description for {{product}}."),
			Config:      workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.9)},
			Description: desc("Shop product descriptions"),
			Tags:        demoTags("purpose:generation", "tone:playful", "audience:consumer"),
			Message:     "First draft",
		}},
		{who: "erin", when: "2026-09-09T15:30:00Z", name: "marketing/product-description", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, "You write playful product copy for an outdoor shop.", workspace.RoleUser, "Write a product description for {{product}}. Mention: {{#features}}{{.}}, {{/features}}and keep it under 80 words."),
			Config:   workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.9)},
			Message:  "List features, 80-word limit",
		}},
		{who: "alice", when: "2026-09-11T09:10:00Z", name: "marketing/product-description", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, "You write playful product copy for an outdoor shop. No superlatives such as \"best ever\"; no claims we cannot prove.", workspace.RoleUser, "Write a product description for {{product}}. Mention: {{#features}}{{.}}, {{/features}}and keep it under 80 words."),
			Config:   workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.8)},
			Scorers:  []string{"not-contains:best ever"},
			Message:  "Legal asked: no unprovable claims",
		}},
		{who: "alice", when: "2026-09-11T09:20:00Z", ref: "marketing/product-description@3", label: "production"},
		{who: "erin", when: "2026-09-18T16:00:00Z", name: "marketing/product-description", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, "You write playful product copy for an outdoor shop. No superlatives such as \"best ever\"; no claims we cannot prove.", workspace.RoleUser, "Write a product description for {{product}}{{#audience}} aimed at {{audience}}{{/audience}}. Mention: {{#features}}{{.}}, {{/features}}and keep it under 80 words."),
			Config:   workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.8)},
			Scorers:  []string{"not-contains:best ever"},
			Message:  "Optional target audience",
		}},

		{who: "dmitri", when: "2026-09-14T09:00:00Z", name: "extract/invoice-json", d: workspace.Draft{
			Messages:    msgs(workspace.RoleSystem, "Extract the invoice fields from the text as JSON.", workspace.RoleUser, "{{text}}"),
			Config:      workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0), ResponseFormat: &workspace.ResponseFormat{Type: "json_object"}},
			Description: desc("Invoice text to structured fields"),
			Tags:        demoTags("purpose:extraction", "tone:neutral", "audience:enterprise"),
			Message:     "JSON mode extraction",
		}},
		{who: "dmitri", when: "2026-09-16T11:30:00Z", name: "extract/invoice-json", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, "Extract the invoice fields from the text. Use ISO 8601 for dates and ISO 4217 for currencies. Leave out fields the text does not state.", workspace.RoleUser, "{{text}}"),
			Config:   workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0), ResponseFormat: &workspace.ResponseFormat{Type: "json_schema", Name: "invoice", Strict: true, Schema: invoiceSchema}},
			Scorers:  []string{"json"},
			Message:  "Strict JSON schema; ISO dates and currencies",
		}},
		{who: "dmitri", when: "2026-09-16T11:45:00Z", ref: "extract/invoice-json@2", label: "production"},

		{who: "carol", when: "2026-09-17T10:00:00Z", name: "eval/judge-rubric", d: workspace.Draft{
			Messages:    msgs(workspace.RoleSystem, "You grade an answer against a rubric. Reply with a score from 1 to 5.", workspace.RoleUser, "Question:\n{{question}}\n\nAnswer:\n{{answer}}"),
			Config:      workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0)},
			Description: desc("LLM-as-judge rubric for support answers"),
			Tags:        demoTags("purpose:evaluation", "tone:formal", "audience:internal"),
			Message:     "Simple 1-5 judge",
		}},
		{who: "carol", when: "2026-09-19T14:20:00Z", name: "eval/judge-rubric", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, `You grade a support answer. Score each criterion from 1 to 5:

1. Correct: does it answer the question asked?
2. Complete: is a concrete next step given?
3. Tone: friendly and free of blame?

Reply with JSON: {"correct": n, "complete": n, "tone": n, "comment": "..."}`, workspace.RoleUser, "Question:\n{{question}}\n\nAnswer:\n{{answer}}"),
			Config:  workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0), ResponseFormat: &workspace.ResponseFormat{Type: "json_object"}},
			Scorers: []string{"json"},
			Message: "Three criteria, JSON verdict",
		}},
		{who: "carol", when: "2026-09-19T14:30:00Z", ref: "eval/judge-rubric@2", label: "production"},

		{who: "bob", when: "2026-09-20T09:00:00Z", name: "translate/text", d: workspace.Draft{
			Messages:    msgs(workspace.RoleUser, "Translate into {{language}}:\n{{text}}"),
			Config:      echo,
			Description: desc("Translation for help-centre articles"),
			Tags:        demoTags("purpose:generation", "tone:neutral", "audience:enterprise"),
			Message:     "Translation, echo model for offline checks",
		}},
		{who: "bob", when: "2026-09-21T10:30:00Z", name: "translate/text", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, "You are a professional translator. Keep product names, code and placeholders such as {name} unchanged. Match the formality of the source.", workspace.RoleUser, "Translate into {{language}}:\n{{text}}"),
			Config:   mini,
			Message:  "Keep product names and placeholders",
		}},
		{who: "bob", when: "2026-09-21T10:40:00Z", ref: "translate/text@2", label: "production"},

		{who: "erin", when: "2026-09-22T08:30:00Z", name: "meetings/notes", d: workspace.Draft{
			Messages:    msgs(workspace.RoleUser, "Turn this transcript into meeting notes:\n{{transcript}}"),
			Config:      mini,
			Description: desc("Meeting notes with decisions and action items"),
			Tags:        demoTags("purpose:summarization", "tone:formal", "audience:enterprise"),
			Message:     "Notes from a transcript",
		}},
		{who: "erin", when: "2026-09-23T13:00:00Z", name: "meetings/notes", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, `Write meeting notes in Markdown with three sections:

## Decisions
## Action items (owner, due date)
## Open questions`, workspace.RoleUser, "Meeting: {{title}}\nAttendees: {{#attendees}}{{.}} {{/attendees}}\n\nTranscript:\n{{transcript}}"),
			Config:  mini,
			Message: "Fixed sections; attendees listed",
		}},
		{who: "erin", when: "2026-09-23T13:10:00Z", ref: "meetings/notes@2", label: "production"},
		{who: "alice", when: "2026-09-25T09:45:00Z", name: "meetings/notes", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, `Write meeting notes in Markdown with three sections:

## Decisions
## Action items (owner, due date)
## Open questions

Only list an action item when the transcript names an owner.`, workspace.RoleUser, "Meeting: {{title}}\nAttendees: {{#attendees}}{{.}} {{/attendees}}\n\nTranscript:\n{{transcript}}"),
			Config:  workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.2)},
			Message: "No ownerless action items",
		}},
		{who: "alice", when: "2026-09-25T10:00:00Z", ref: "meetings/notes@3", label: "staging"},

		{who: "dmitri", when: "2026-09-24T15:00:00Z", name: "code/review", d: workspace.Draft{
			Messages:    msgs(workspace.RoleSystem, "You review a diff like a senior {{language}} engineer: correctness first, then clarity. Point at lines. Skip praise.", workspace.RoleUser, "```diff\n{{diff}}\n```"),
			Config:      workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.2), MaxTokens: 800},
			Description: desc("Code review comments on a diff"),
			Tags:        demoTags("purpose:evaluation", "tone:formal", "audience:internal"),
			Message:     "Reviewer persona",
		}},
		{who: "dmitri", when: "2026-09-24T15:05:00Z", ref: "code/review@1", label: "production"},
		{who: "bob", when: "2026-09-26T11:00:00Z", name: "code/review", d: workspace.Draft{
			Messages: msgs(workspace.RoleSystem, "You review a diff like a senior {{language}} engineer: correctness first, then clarity. Point at lines. Skip praise.\nEnd with a verdict line: APPROVE or REQUEST CHANGES.", workspace.RoleUser, "```diff\n{{diff}}\n```"),
			Config:   workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: f64(0.2), MaxTokens: 800},
			Scorers:  []string{"regex:(APPROVE|REQUEST CHANGES)"},
			Message:  "Explicit verdict line",
		}},

		{who: "erin", when: "2026-09-27T17:00:00Z", name: "fun/joke", d: workspace.Draft{
			Messages:    msgs(workspace.RoleUser, "Tell me a joke about {{topic}}."),
			Config:      echo,
			Description: desc("Icebreaker jokes for the team chat bot"),
			Tags:        demoTags("purpose:humor", "tone:playful", "audience:internal"),
			Message:     "Joke prompt",
		}},
		{who: "erin", when: "2026-09-28T09:00:00Z", name: "fun/joke", d: workspace.Draft{
			Messages: msgs(workspace.RoleUser, "Tell me a {{style}} joke about {{topic}}."),
			Config:   echo,
			Scorers:  []string{"exact"},
			Message:  "Choose the style",
		}},
		{who: "erin", when: "2026-09-28T09:05:00Z", ref: "fun/joke@2", label: "production"},
	}
}

// buildDemo replays demoSteps into a fresh workspace with each step's own
// author and time.
func buildDemo(t *testing.T) *workspace.Workspace {
	t.Helper()
	ctx := context.Background()
	var who string
	var when time.Time
	opts := workspace.Options{
		Getenv:  func(string) string { return "" },
		Now:     func() time.Time { return when },
		Author:  func() string { return who },
		Command: "promptbench test",
	}
	ws, _, err := workspace.Init(ctx, filepath.Join(t.TempDir(), workspace.DirName), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range demoSteps() {
		who = s.who
		if when, err = time.Parse(time.RFC3339, s.when); err != nil {
			t.Fatal(err)
		}
		if s.label != "" {
			if _, err := ws.SetLabel(ctx, s.ref, s.label); err != nil {
				t.Fatalf("label %s %s: %v", s.ref, s.label, err)
			}
			continue
		}
		if _, err := ws.Commit(ctx, s.name, s.d); err != nil {
			t.Fatalf("commit %s (%s): %v", s.name, s.d.Message, err)
		}
	}
	return ws
}

// TestDemoLibrary keeps testdata/demo/library.yaml what the demo above
// exports; -update rewrites it.
func TestDemoLibrary(t *testing.T) {
	got := exportString(t, buildDemo(t), ExportOptions{})
	if *update {
		if err := os.WriteFile(filepath.Join("..", "..", "testdata", "demo", "library.yaml"), []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != string(testdata.DemoLibrary) {
		t.Fatal("testdata/demo/library.yaml is not what the demo in export_demo_test.go exports; run go test ./workspace/exchange -run TestDemo -update")
	}
}

// TestDemoImport loads the demo through the import path, as init --demo
// does: the file's hashes must match its content, and it round-trips.
func TestDemoImport(t *testing.T) {
	ws := newTestWorkspace(t)
	plan := mustImport(t, ws, string(testdata.DemoLibrary), ImportOptions{})
	if len(plan.NewPrompts) < 12 || len(plan.Divergences) != 0 {
		t.Fatalf("demo plan: %d prompts, %d divergences", len(plan.NewPrompts), len(plan.Divergences))
	}
	if got := exportString(t, ws, ExportOptions{}); got != string(testdata.DemoLibrary) {
		t.Fatal("the demo library does not round-trip")
	}
}

// TestDemoDatasets renders each dataset row with the prompt it is for, and
// checks that the echo provider's answer (the messages joined by blank
// lines) passes `exact` on some rows of jokes.csv and fails on others.
func TestDemoDatasets(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustImport(t, ws, string(testdata.DemoLibrary), ImportOptions{})
	render := func(ref string, vars map[string]any) string {
		t.Helper()
		out, err := ws.Render(ctx, ref, vars)
		if err != nil {
			t.Fatalf("render %s with %v: %v", ref, vars, err)
		}
		parts := make([]string, len(out.Messages))
		for i, m := range out.Messages {
			parts[i] = m.Content
		}
		return strings.Join(parts, "\n\n")
	}
	for _, tc := range []struct{ file, ref string }{
		{"tickets.jsonl", "support/reply@production"},
		{"tickets.jsonl", "support/ticket-classifier@production"},
		{"articles.jsonl", "summarize/article@production"},
	} {
		data, err := testdata.DemoDatasets.ReadFile("demo/datasets/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		rows := 0
		for sc.Scan() {
			var row map[string]any
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatalf("%s: %v", tc.file, err)
			}
			row["company"] = "Acme"
			render(tc.ref, row)
			rows++
		}
		if rows < 10 {
			t.Fatalf("%s has %d rows", tc.file, rows)
		}
	}
	data, err := testdata.DemoDatasets.ReadFile("demo/datasets/jokes.csv")
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	pass := 0
	for _, r := range records[1:] {
		if render("fun/joke@production", map[string]any{"id": r[0], "style": r[1], "topic": r[2]}) == r[3] {
			pass++
		}
	}
	if pass == 0 || pass == len(records)-1 {
		t.Fatalf("echo passes exact on %d of %d jokes; the demo wants some of each", pass, len(records)-1)
	}
}
