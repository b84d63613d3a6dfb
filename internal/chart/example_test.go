package chart_test

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/pendopo/pendopo/internal/chart"
)

// page is how a page template shows a chart: the SVG, then its data as a
// table. A real page keeps this in ui/templates and passes the chart in
// its page struct.
var page = template.Must(template.New("page").Parse(`<figure>
{{.SVG}}
</figure>
{{with .Table}}{{if .Rows}}<table>
<caption>{{.Caption}}</caption>
<thead><tr><th scope="col">{{.Corner}}</th>{{range .Columns}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr><th scope="row">{{.Label}}</th>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{range .Notes}}<p>{{.}}</p>{{end}}{{else}}<p>{{.NoData}}</p>{{end}}{{end}}
`))

func Example() {
	c, err := chart.New(chart.Spec{
		Kind:          chart.Lines,
		ID:            "ikm",
		Title:         "Indeks Kepuasan Masyarakat",
		Description:   "IKM naik di atas target pada bulan Maret.",
		CategoryLabel: "Bulan",
		Categories:    []string{"Jan 2026", "Feb 2026", "Mar 2026"},
		Series:        []chart.Series{{Name: "IKM", Values: []float64{86.5, math.NaN(), 89.125}}},
		Unit:          chart.Score,
		Refs:          []chart.Ref{{Label: "Target", Value: 88.31}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	if err := page.Execute(&b, c); err != nil {
		fmt.Println(err)
		return
	}
	// The SVG is long; show its first line and the table whole.
	svg, rest, _ := strings.Cut(b.String(), "</svg>")
	fmt.Println(strings.SplitN(svg, "\n", 3)[1])
	fmt.Print(strings.TrimPrefix(rest, "\n</figure>\n"))
	// Output:
	// <svg xmlns="http://www.w3.org/2000/svg" class="chart chart-lines" viewBox="0 0 360 243" width="100%" font-size="14" role="img" aria-labelledby="ikm-t ikm-d">
	// <table>
	// <caption>Indeks Kepuasan Masyarakat</caption>
	// <thead><tr><th scope="col">Bulan</th><th scope="col">IKM</th></tr></thead>
	// <tbody>
	// <tr><th scope="row">Jan 2026</th><td>86,50</td></tr>
	// <tr><th scope="row">Feb 2026</th><td>tidak ada data</td></tr>
	// <tr><th scope="row">Mar 2026</th><td>89,13</td></tr>
	// </tbody>
	// </table>
	// <p>Target: 88,31</p>
}

func ExampleUnit_Format() {
	fmt.Println(chart.Count.Format(1234567, "id"))
	fmt.Println(chart.Percent.Format(87.46, "id"))
	fmt.Println(chart.Days.Format(4.25, "id"))
	fmt.Println(chart.Score.Format(88.31, "en"))
	// Output:
	// 1.234.567
	// 87,5%
	// 4,3 hari
	// 88.31
}
