/// What a render needs from the environment, computed once per template and shared by reference, so starting a
/// render copies nothing.
final class TemplateRuntime: Sendable {
    let environment: TemplateEnvironment
    let filterContext: FilterContext
    let strict: Bool
    let limits: TemplateLimits

    init(environment: TemplateEnvironment) {
        self.environment = environment
        self.filterContext = environment.filterContext
        self.strict = environment.mode.isStrict
        self.limits = environment.limits
    }
}
