import FerryCore
import FerryDelivery

extension DeliveryItem {
    /// The payload's fields for a destination that sends records: the one place the payload's bytes are parsed on
    /// the way to the wire, since a record is rebuilt field by field (an Apex REST body is sent as it is).
    /// - Parameters:
    ///   - context: What is being done, the start of the message (`"creating a Survey__c record: "`), or empty.
    ///   - needs: What the destination needs instead, ending the message (`"an sObject record needs"`).
    ///   - advice: The closing advice, after a semicolon, or empty.
    /// - Returns: The fields, or a final `PAYLOAD_NOT_OBJECT` failure saying what the payload is instead.
    func recordFields(_ context: String, _ needs: String, advice: String) -> Result<JSONObject, DeliveryFailure> {
        let value: JSONValue
        do {
            value = try payload.value
        } catch {
            // Only bytes a store changed can fail here: the payload was checked when it was made.
            return .failure(DeliveryFailure(
                status: nil, errorCode: .payloadNotObject,
                message: "\(context)the stored payload is no longer valid JSON (\(error)), but \(needs) a JSON object of field names to values; replay the item from its source",
                retryability: .final))
        }
        guard let fields = value.objectValue else {
            return .failure(DeliveryFailure(
                status: nil, errorCode: .payloadNotObject,
                message: "\(context)the payload is a \(value.kindName), but \(needs) a JSON object of field names to values\(advice)",
                retryability: .final))
        }
        return .success(fields)
    }
}
