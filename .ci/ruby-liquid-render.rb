# frozen_string_literal: true
#
# Renders differential-test cases with Shopify's Ruby Liquid (Debian's ruby-liquid), the reference engine that
# Ferry's templates must agree with. Used by Tests/FerryTemplatingTests/Differential/RubyLiquidDifferentialTests.swift.
#
# Usage: ruby .ci/ruby-liquid-render.rb CASES.json > RESULTS.json
#   CASES.json: [{"template": "...", "context": "<JSON object text>"}, ...]
#   RESULTS.json: one entry per case, in order: {"output": "..."} or {"error": "<exception class>: <message>"}
# The context is JSON text parsed here, so Ruby reads 19-digit integers, -0.0 and 1e20 with its own JSON parser,
# as a host application feeding Liquid from JSON does. Dates are shown in UTC (Ferry's default time zone).
ENV["TZ"] = "UTC"
require "json"
require "timeout"
require "liquid"
require "liquid/c" if ENV["LIQUID_C"] == "1"

cases = JSON.parse(File.read(ARGV.fetch(0)))
results = cases.map do |test_case|
  begin
    # A generated case must never hang the run: Ruby Liquid has no iteration limit of its own.
    output = Timeout.timeout(5) do
      template = Liquid::Template.parse(test_case.fetch("template"), error_mode: :lax)
      template.render!(JSON.parse(test_case.fetch("context")), strict_variables: false, strict_filters: false)
    end
    { "output" => output.dup.force_encoding(Encoding::UTF_8).scrub }
  rescue StandardError, SystemStackError => e
    { "error" => "#{e.class}: #{e.message}" }
  end
end
puts JSON.generate(results)
