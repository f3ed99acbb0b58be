import Foundation
import SalesforceModels
import Testing

@Suite("SalesforceOrg")
struct SalesforceOrgTests {
    @Test("a production My Domain is accepted")
    func production() throws {
        let org = try SalesforceOrg("https://acme.my.salesforce.com")
        #expect(org.kind == .production)
        #expect(org.myDomainName == "acme")
        #expect(org.sandboxName == nil)
        #expect(org.baseURL.absoluteString == "https://acme.my.salesforce.com")
    }

    @Test("a bare My Domain host means its https:// origin")
    func bareHost() throws {
        let org = try SalesforceOrg("acme.my.salesforce.com")
        #expect(org.kind == .production)
        #expect(org.baseURL.absoluteString == "https://acme.my.salesforce.com")
    }

    @Test("a sandbox My Domain is accepted with its sandbox name")
    func sandbox() throws {
        let org = try SalesforceOrg("https://acme--uat.sandbox.my.salesforce.com/")
        #expect(org.kind == .sandbox)
        #expect(org.myDomainName == "acme")
        #expect(org.sandboxName == "uat")
        #expect(org.description == "https://acme--uat.sandbox.my.salesforce.com")
    }

    @Test(
        "other My Domain hosts and loopback are accepted",
        arguments: [
            ("https://Acme-Dev.develop.my.salesforce.com", "production"),
            ("https://acme.scratch.my.salesforce.com", "production"),
            ("https://agency.my.salesforce.mil", "production"),
            ("http://127.0.0.1:8080", "loopback"),
            ("http://localhost:9000", "loopback"),
            ("https://localhost", "loopback"),
        ])
    func accepted(url: String, kind: String) throws {
        let org = try SalesforceOrg(url)
        #expect(org.kind.description == kind)
    }

    @Test("the loopback origin keeps its port")
    func loopbackPort() throws {
        let org = try SalesforceOrg("http://127.0.0.1:8080")
        #expect(org.baseURL.absoluteString == "http://127.0.0.1:8080")
        #expect(org.myDomainName == nil)
    }

    @Test(
        "wrong hosts are refused with the fix",
        arguments: [
            ("https://login.salesforce.com", SalesforceOrgError.Kind.loginHost, "My Domain host"),
            ("https://test.salesforce.com", .loginHost, "request not supported on this domain"),
            ("https://acme.lightning.force.com", .lightningHost, "https://acme.my.salesforce.com"),
            ("https://acme.my.salesforce-setup.com", .setupHost, "https://acme.my.salesforce.com"),
            ("https://example.com", .notMyDomain, "<MyDomain>.my.salesforce.com"),
            ("https://a.b.my.salesforce.com", .notMyDomain, "not a valid My Domain host"),
            ("https://acme.sandbox.my.salesforce.com", .notMyDomain, "without a sandbox name"),
            ("http://acme.my.salesforce.com", .insecureScheme, "https://"),
            ("ftp://127.0.0.1", .insecureScheme, "http:// or https://"),
            ("https://acme.my.salesforce.com/services/data", .hasPath, "origin only"),
            ("https://acme.my.salesforce.com?x=1", .hasPath, "origin only"),
            ("not a url", .invalidURL, "is not an org URL"),
            ("", .invalidURL, "with its scheme"),
        ])
    func refused(url: String, kind: SalesforceOrgError.Kind, hint: String) {
        #expect {
            _ = try SalesforceOrg(url)
        } throws: { error in
            guard let error = error as? SalesforceOrgError else { return false }
            return error.kind == kind && error.message.contains(hint)
        }
    }

    @Test("credentials in an org URL are never echoed")
    func credentialsNotEchoed() {
        #expect {
            _ = try SalesforceOrg("https://user:s3cret@acme.my.salesforce.com/x")
        } throws: { error in
            "\(error)".contains("s3cret") == false && (error as? SalesforceOrgError)?.kind == .hasPath
        }
        for input in ["user:s3cret@acme.my.salesforce.com", "ftp://user:s3cret@127.0.0.1"] {
            #expect {
                _ = try SalesforceOrg(input)
            } throws: { error in
                !"\(error)".contains("s3cret")
            }
        }
    }
}

@Suite("APIVersion, namespace and URL mapping")
struct APIVersionTests {
    @Test("the default is v66.0")
    func defaultVersion() {
        #expect(APIVersion.default == APIVersion(major: 66))
        #expect(APIVersion.default.description == "v66.0")
        #expect(APIVersion.default.number == "66.0")
    }

    @Test("versions parse in every written form", arguments: ["v67.0", "67.0", "67", "V67.0", " v67.0 "])
    func parses(text: String) throws {
        #expect(try APIVersion(text) == .v67)
    }

    @Test("invalid versions are refused", arguments: ["", "v", "vX.0", "66.0.1", "0.0", "v66.", "-1"])
    func refused(text: String) {
        #expect(throws: SalesforceOrgError.self) { try APIVersion(text) }
        do {
            _ = try APIVersion(text)
        } catch {
            #expect(error.kind == .invalidVersion)
            #expect(error.message.contains("v66.0"))
        }
    }

    @Test("versions compare numerically")
    func ordering() throws {
        #expect(try APIVersion("v9.0") < APIVersion("v62.0"))
        #expect(APIVersion.v65 < .v66)
        #expect([APIVersion.v67, .v62, .v64].sorted() == [.v62, .v64, .v67])
    }

    @Test("namespaces: 1-15 letters and digits starting with a letter")
    func namespaces() throws {
        #expect(try ApexNamespace("CleverTap").prefix == "CleverTap")
        #expect(try ApexNamespace("a1").description == "a1")
        for bad in ["", "CleverTap__", "Clever Tap", "1abc", "ABCDEFGHIJKLMNOP"] {
            #expect(throws: SalesforceOrgError.self) { try ApexNamespace(bad) }
        }
        do {
            _ = try ApexNamespace("ABCDEFGHIJKLMNOP")
        } catch {
            #expect(error.kind == .invalidNamespace)
            #expect(error.message.contains("1 to 15"))
        }
    }

    @Test("URL mappings follow Salesforce's rules")
    func mappings() throws {
        #expect(try ApexURLMapping("/InsertNPSFeedback").segments == ["InsertNPSFeedback"])
        #expect(try ApexURLMapping("/Feedback/*").hasWildcard)
        #expect(try ApexURLMapping("/v1/Feedback").segments == ["v1", "Feedback"])
        let cases: [(String, String)] = [
            ("InsertNPSFeedback", "must start with '/'"),
            ("/", "needs a name"),
            ("/a//b", "empty segment"),
            ("/a/", "empty segment"),
            ("/Feed*back", "whole segment"),
            ("/has space", "only letters"),
            ("/" + String(repeating: "a", count: 255), "at most 255"),
        ]
        for (text, hint) in cases {
            do {
                _ = try ApexURLMapping(text)
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.kind == .invalidMapping)
                #expect(error.message.contains(hint), "\(error.message)")
            }
        }
    }
}

@Suite("SalesforceOrg IPv6 loopback")
struct IPv6OrgTests {
    @Test("an IPv6 loopback URL keeps its brackets")
    func ipv6() throws {
        let org = try SalesforceOrg("http://[::1]:8080")
        #expect(org.kind == .loopback)
        #expect(org.baseURL.absoluteString == "http://[::1]:8080")
        #expect(SalesforceEndpoints(org: org).token.absoluteString == "http://[::1]:8080/services/oauth2/token")
    }
}
