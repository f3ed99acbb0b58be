import SalesforceModels
import Testing

@Suite("APIName")
struct APINameTests {
    @Test("valid names are split into namespace, name and suffix")
    func valid() throws {
        let field = try APIName("CleverTap__NPS_Score__c")
        #expect(field.namespace == "CleverTap")
        #expect(field.name == "NPS_Score")
        #expect(field.suffix == .custom)
        #expect(field.fullName == "CleverTap__NPS_Score__c")

        let standard = try APIName("LastName")
        #expect(standard.namespace == nil)
        #expect(standard.suffix == nil)
        #expect(!standard.isCustom)

        #expect(try APIName("Account__r").suffix == .relationship)
        #expect(try APIName("Order_Placed__e").suffix == .platformEvent)
        #expect(try APIName("Ferry_Setting__mdt").suffix == .customMetadata)
        #expect(try APIName(String(repeating: "a", count: 40) + "__c").name.count == 40)
        #expect(try APIName("ns__Field__c").matches(try APIName("NS__field__C")))
    }

    @Test(
        "each naming rule is reported by its own kind",
        arguments: [
            ("", APINameError.Kind.empty, "cannot be empty"),
            ("__c", .empty, "no name before"),
            ("User Rating__c", .invalidCharacter, "User_Rating__c"),
            ("Score-Value__c", .invalidCharacter, "a hyphen"),
            ("Scöre__c", .invalidCharacter, "letters, digits and underscores"),
            ("1st_Score__c", .mustStartWithLetter, "begin with a letter"),
            ("_Score__c", .mustStartWithLetter, "begin with a letter"),
            ("Score___c", .trailingUnderscore, "ends its name part with an underscore"),
            ("Score_", .trailingUnderscore, "underscore"),
            ("A__B__C__c", .consecutiveUnderscores, "two underscores in a row"),
            ("A_B__C_D__x", .unknownSuffix, "__c (custom object or field)"),
            ("Score__kav", .unknownSuffix, "__mdt"),
            (String(repeating: "a", count: 41) + "__c", .tooLong, "at most 40"),
            ("ABCDEFGHIJKLMNOP__Score__c", .invalidNamespace, "1 to 15"),
            ("CleverTap__Score", .namespaceWithoutSuffix, "CleverTap__Score__c"),
        ])
    func rules(name: String, kind: APINameError.Kind, hint: String) {
        do {
            _ = try APIName(name)
            Issue.record("\(name) was accepted")
        } catch {
            #expect(error.kind == kind, "\(name): \(error.kind)")
            #expect(error.message.contains(hint), "\(error.message)")
            #expect(error.name == name)
        }
    }

    @Test("custom(_:) requires __c")
    func customRequired() throws {
        #expect(try APIName.custom("Feedback__c").fullName == "Feedback__c")
        do {
            _ = try APIName.custom("Feedback")
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .suffixRequired)
            #expect(error.message.contains("Feedback__c"))
        }
    }

    @Test("names built from parts are checked too")
    func fromParts() throws {
        #expect(try APIName(name: "Score", suffix: .custom, namespace: "CleverTap").fullName == "CleverTap__Score__c")
        #expect(throws: APINameError.self) { try APIName(name: "Score", suffix: nil, namespace: "CleverTap") }
        #expect(throws: APINameError.self) { try APIName(name: "Bad Name", suffix: .custom) }
        #expect(try APIName("Score__c").inNamespace("CleverTap").fullName == "CleverTap__Score__c")
        #expect(try APIName("CleverTap__Score__c").inNamespace(nil).fullName == "Score__c")
    }
}

@Suite("FieldNameSanitizer")
struct FieldNameSanitizerTests {
    @Test(
        "CleverTap property names become valid field names",
        arguments: [
            ("User Rating", "User_Rating__c"),
            ("  leading and trailing  ", "leading_and_trailing__c"),
            ("NPS (0-10)", "NPS_0_10__c"),
            ("a--b..c", "a_b_c__c"),
            ("1st Purchase", "X1st_Purchase__c"),
            ("Café Crème", "Cafe_Creme__c"),
            ("日本語", "Field__c"),
            ("!!!", "Field__c"),
            ("snake_case__name", "snake_case_name__c"),
            ("Ends with _", "Ends_with__c"),
        ])
    func sanitises(property: String, expected: String) throws {
        var sanitizer = FieldNameSanitizer()
        let name = sanitizer.fieldName(for: property)
        #expect(name.fullName == expected)
        #expect(try APIName(name.fullName) == name)
    }

    @Test("long names are cut to 40 characters without a trailing underscore")
    func truncation() {
        var sanitizer = FieldNameSanitizer()
        let property = String(repeating: "Metric ", count: 20)  // 140 characters, a space every 7th
        let name = sanitizer.fieldName(for: property)
        #expect(name.name.count <= 40)
        #expect(!name.name.hasSuffix("_"))
        #expect(name.name.hasPrefix("Metric_Metric_"))
        let exact = sanitizer.fieldName(for: String(repeating: "x", count: 120))
        #expect(exact.name == String(repeating: "x", count: 40))
    }

    @Test("collisions get _2, _3 … in request order, ignoring case")
    func collisions() {
        let names = FieldNameSanitizer.fieldNames(for: ["User Rating", "user-rating", "User  Rating!", "User Rating"])
        #expect(names.map(\.field.fullName) == ["User_Rating__c", "user_rating_2__c", "User_Rating_3__c", "User_Rating__c"])
        let again = FieldNameSanitizer.fieldNames(for: ["User Rating", "user-rating", "User  Rating!", "User Rating"])
        #expect(again.map(\.field) == names.map(\.field))
    }

    @Test("a collision of two 40-character names still fits in 40")
    func collisionAtLimit() {
        let long = String(repeating: "a", count: 39) + "_b"
        let names = FieldNameSanitizer.fieldNames(for: [long, long + "!", long + "?"])
        #expect(names[0].field.name == String(repeating: "a", count: 39))
        #expect(names.map(\.field.name.count).allSatisfy { $0 <= 40 })
        #expect(Set(names.map { $0.field.fullName.lowercased() }).count == 3)
        #expect(names[1].field.name.hasSuffix("_2"))
        #expect(names[2].field.name.hasSuffix("_3"))
    }

    @Test("reserved names and namespaces are respected")
    func reservedAndNamespace() {
        var sanitizer = FieldNameSanitizer(namespace: "CleverTap", reserved: ["CleverTap__Identity__c"])
        #expect(sanitizer.fieldName(for: "Identity").fullName == "CleverTap__Identity_2__c")
        #expect(sanitizer.fieldName(for: "Score").fullName == "CleverTap__Score__c")
        var invalidNamespace = FieldNameSanitizer(namespace: "not valid!")
        #expect(invalidNamespace.namespace == nil)
        #expect(invalidNamespace.fieldName(for: "Score").fullName == "Score__c")
    }
}
