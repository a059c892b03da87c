// Command goldengob writes the golden gob bodies of the beanstalk driver's tests with Go's own encoding/gob, and
// checks the bodies written by the driver's Java encoder with Go's own decoder.
//
//	go run main.go gen    ../resources/gob   # writes go-<case>.gob
//	go run main.go verify ../resources/gob   # decodes java-<case>.gob, compares with the case, exits 1 on a mismatch
//
// The item types have the field names, types and order of RoadRunner's beanstalk item (v6: Hdrs; before: no
// headers, and in its first versions a string payload). The cases must stay equal to GobCases.java.
package main

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
)

type Options struct {
	Priority int64
	Pipeline string
	Delay    int
	AutoAck  bool
	Queue    string
}

// Item is RoadRunner v6's item.
type Item struct {
	Job     string
	Ident   string
	Payload []byte
	Hdrs    map[string][]string
	Options *Options
}

// ItemV5 is the item before RoadRunner v6: headers were not exported, so gob did not send them.
type ItemV5 struct {
	Job     string
	Ident   string
	Payload []byte
	Options *Options
}

// ItemV2 is the item of RoadRunner's first beanstalk driver versions: a string payload.
type ItemV2 struct {
	Job     string
	Ident   string
	Payload string
	Options *Options
}

func large() []byte {
	b := make([]byte, 200000)
	for i := range b {
		b[i] = byte((i*31 + 7) & 0xFF)
	}
	return b
}

// cases the Java encoder writes too (v6 shape only).
func v6Cases() map[string]*Item {
	return map[string]*Item{
		"full": {Job: "app.jobs.SendMail", Ident: "0b6f1c2e-6d1a-4d7e-9a51-1f2b3c4d5e6f", Payload: []byte(`{"to":"a@example.org"}`),
			Hdrs:    map[string][]string{"Traceparent": {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}},
			Options: &Options{Priority: 5, Pipeline: "emails"}},
		"zero":       {Options: &Options{}},
		"no-options": {Job: "ping", Ident: "1", Payload: []byte("x")},
		"multi-headers": {Job: "j", Ident: "id-2", Payload: []byte("p"),
			Hdrs:    map[string][]string{"A": {"1", "2"}, "B": {}, "attempt": {"3"}},
			Options: &Options{Priority: 1, Pipeline: "p", Delay: 30, AutoAck: true, Queue: "default"}},
		"unicode": {Job: "задача.отправить", Ident: "ид-✓", Payload: []byte("héllo 🌍"),
			Hdrs:    map[string][]string{"X-Ünïcode": {"✓", ""}},
			Options: &Options{Priority: 10, Pipeline: "юникод"}},
		"empty-payload": {Job: "empty", Ident: "id-3", Hdrs: map[string][]string{}, Options: &Options{Priority: 2}},
		"large":         {Job: "big", Ident: "id-4", Payload: large(), Options: &Options{Priority: 1 << 40, Delay: 3600}},
		"negative":      {Job: "neg", Ident: "id-5", Payload: []byte{0, 1, 255}, Options: &Options{Priority: -3, Delay: -1}},
	}
}

func encode(v interface{}) []byte {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(v); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func write(dir, name string, body []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
		panic(err)
	}
	fmt.Printf("wrote %s (%d bytes)\n", name, len(body))
}

func gen(dir string) {
	for name, item := range v6Cases() {
		write(dir, "go-"+name+".gob", encode(item))
	}
	write(dir, "go-v5.gob", encode(&ItemV5{Job: "legacy", Ident: "id-v5", Payload: []byte("old"),
		Options: &Options{Priority: 7, Pipeline: "old-pipe", Delay: 5}}))
	write(dir, "go-v2.gob", encode(&ItemV2{Job: "older", Ident: "id-v2", Payload: "text payload",
		Options: &Options{Priority: 3, AutoAck: true}}))
	// a gob of some other struct: Go's decoder refuses it as an Item ("no fields matched")
	write(dir, "go-other-struct.gob", encode(&struct {
		Name  string
		Count int
	}{Name: "n", Count: 2}))
}

// normal makes nil and empty slices and maps compare equal, as gob does not tell them apart for every case.
func normal(i *Item) *Item {
	c := *i
	if len(c.Payload) == 0 {
		c.Payload = nil
	}
	if c.Hdrs != nil {
		h := map[string][]string{}
		for k, v := range c.Hdrs {
			if len(v) == 0 {
				v = nil
			}
			h[k] = v
		}
		c.Hdrs = h
	}
	return &c
}

func verify(dir string) {
	failed := false
	for name, want := range v6Cases() {
		file := filepath.Join(dir, "java-"+name+".gob")
		body, err := os.ReadFile(file)
		if err != nil {
			fmt.Printf("MISSING %s: %v\n", file, err)
			failed = true
			continue
		}
		var got Item
		dec := gob.NewDecoder(bytes.NewReader(body))
		if err := dec.Decode(&got); err != nil {
			fmt.Printf("FAIL %s: %v\n", name, err)
			failed = true
			continue
		}
		// one message per body: nothing may follow the item
		var extra Item
		if err := dec.Decode(&extra); err == nil {
			fmt.Printf("FAIL %s: more than one value in the body\n", name)
			failed = true
			continue
		}
		if !reflect.DeepEqual(normal(&got), normal(want)) {
			fmt.Printf("FAIL %s:\n got  %+v %+v\n want %+v %+v\n", name, got, got.Options, *want, want.Options)
			failed = true
			continue
		}
		options := "nil"
		if got.Options != nil {
			options = fmt.Sprintf("%+v", *got.Options)
		}
		fmt.Printf("OK %s: job=%q ident=%q payload=%d bytes hdrs=%v options=%s\n", name, got.Job, got.Ident,
			len(got.Payload), got.Hdrs, options)
	}
	if failed {
		os.Exit(1)
	}
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: goldengob gen|verify DIR")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "gen":
		gen(os.Args[2])
	case "verify":
		verify(os.Args[2])
	default:
		fmt.Fprintln(os.Stderr, "usage: goldengob gen|verify DIR")
		os.Exit(2)
	}
}
