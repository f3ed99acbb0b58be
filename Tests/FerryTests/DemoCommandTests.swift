import Ferry
import Foundation
import Testing

@Suite("ferry demo")
struct DemoCommandTests {
    @Test("runs the NPS export against the simulated org, explains the failure, loses and duplicates nothing")
    func demo() async throws {
        let result = try await CLI.run(["demo"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let out = result.stdout
        #expect(out.contains("Ferry demo: the seed's NPS export"))
        #expect(out.contains("not sent: no rating given"))
        #expect(out.contains("session expired (HTTP 401)"))
        #expect(out.contains("SERVER_UNAVAILABLE"))
        #expect(out.contains("13 delivered, 1 failed, 2 aborted by the template (16 responses)"))
        #expect(out.contains("no duplicates"))
        #expect(out.contains("line-9 (Omar \\ Haddad): APEX_ERROR_STRING"))
        #expect(out.contains("Illegal value for primitive"))
        #expect(out.contains("nothing was dropped"))
        // The demo client's secret and the org's tokens never reach the output.
        #expect(!out.contains("ferry-client-secret"))
        #expect(!out.contains("!AQ"))
    }

    @Test("takes no arguments")
    func usage() async throws {
        let result = try await CLI.run(["demo", "--fast"])
        #expect(result.status == 2)
    }
}
