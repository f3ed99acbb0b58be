extension TemplateEnvironment {
    /// The standard Liquid filters (`upcase`, `default`, `date`, ...).
    public static var standardFilters: [String: LiquidFilter] { StandardFilters.all }
}
