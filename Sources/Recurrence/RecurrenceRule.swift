public enum RecurrencePlaceholder {}
