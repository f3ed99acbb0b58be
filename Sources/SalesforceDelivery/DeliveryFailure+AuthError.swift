import FerryAuth
import FerryCore
import FerryDelivery

// A token that could not be obtained fails the attempt with an `AUTH_...` code: the OAuth error when the token
// endpoint gave one (`AUTH_INVALID_CLIENT`), otherwise the kind (`AUTH_TOKEN_ENDPOINT_UNAVAILABLE`).
extension AuthError: DeliveryFailureConvertible {
    /// The failure of an attempt whose token could not be obtained; retryable when the auth error is.
    public var deliveryFailure: DeliveryFailure {
        let code = DeliveryErrorCode.auth(oauthError: oauthError, kind: kind.description)
        return DeliveryFailure(
            status: status, errorCode: code, message: description, retryability: isRetryable ? .transient : .final)
    }
}
