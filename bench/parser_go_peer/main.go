// Go peer of the exposition parser benchmark: expfmt.TextParser from Debian's
// golang-github-prometheus-common-dev. Built offline by bench/parser_compare.sh with
// GO111MODULE=off GOPATH=/usr/share/gocode.
//
//	parser_go_peer FILE SECONDS   prints "<MB/s> <samples>"
package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/prometheus/common/expfmt"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: parser_go_peer FILE SECONDS")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	seconds, err := strconv.ParseFloat(os.Args[2], 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	runs, samples := 0, 0
	start := time.Now()
	for {
		var parser expfmt.TextParser
		families, err := parser.TextToMetricFamilies(bytes.NewReader(data))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		samples = 0
		for _, f := range families {
			samples += len(f.Metric)
		}
		runs++
		if time.Since(start).Seconds() >= seconds {
			break
		}
	}
	elapsed := time.Since(start).Seconds()
	fmt.Printf("%.1f %d\n", float64(len(data)*runs)/elapsed/1e6, samples)
}
