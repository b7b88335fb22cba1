package served_test

import (
	"fmt"
	"log"

	"promptbench/workspace/served"
)

// An application loads the export file its repository holds and renders
// the production version of a prompt for one request.
func Example() {
	lib, err := served.Open("../../testdata/demo/library.yaml", served.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := lib.Render("support/reply", map[string]any{
		"company":  "Acme",
		"customer": map[string]any{"name": "Ann"},
		"ticket":   "My parcel never arrived.",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s@%d on %s (temperature %.1f)\n", r.Prompt, r.Version, r.Model(), *r.Config.Temperature)
	for _, m := range r.Messages {
		fmt.Printf("[%s]\n%s\n", m.Role, m.Content)
	}
	req := r.ChatCompletionRequest() // go-openai's request, for client.CreateChatCompletion
	fmt.Println(req.Model, len(req.Messages), req.MaxTokens)
	// Output:
	// support/reply@2 on gpt-4o-mini (temperature 0.3)
	// [system]
	// You are a support agent for Acme. Answer the customer's ticket.
	// Write in short paragraphs. Be warm but not gushing: no exclamation marks, no "we apologise for any inconvenience". Offer one concrete next step.
	// [user]
	// Customer: Ann
	// Ticket:
	// My parcel never arrived.
	// gpt-4o-mini 2 400
}
