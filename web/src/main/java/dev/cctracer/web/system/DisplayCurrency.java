package dev.cctracer.web.system;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Currency;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The currency the pages show costs in: US dollars, or another currency at a rate the
 * user sets ({@code cctracer.display.currency} and {@code cctracer.display.usd-rate}).
 * Nothing is downloaded: a rate of the day is the user's to give. Costs are counted in
 * USD everywhere (Anthropic's prices are in USD); only the pages convert, and the API,
 * the exports and the price cards stay in USD.
 *
 * @param currency the ISO 4217 code, e.g. {@code USD}, {@code EUR}, {@code JPY}
 * @param usdRate units of the currency per US dollar ({@code 1} for USD), e.g.
 * {@code 0.92} for EUR
 * @throws IllegalArgumentException at binding (so the app does not start, and says which
 * property) when the code is not an ISO 4217 currency Java knows (or one of no amounts'
 * digits, such as XXX or XAU), when another currency than USD comes without a rate, when
 * a rate comes without a currency or for USD other than 1, or when the rate is not above
 * 0
 */
@ConfigurationProperties("cctracer.display")
public record DisplayCurrency(String currency, BigDecimal usdRate) {

	/** Costs in US dollars: the default. */
	public static final DisplayCurrency USD = new DisplayCurrency("USD", BigDecimal.ONE);

	private static final String CURRENCY = "cctracer.display.currency";

	private static final String RATE = "cctracer.display.usd-rate";

	public DisplayCurrency {
		if (currency == null || currency.isBlank()) {
			if (usdRate != null) {
				throw new IllegalArgumentException(RATE + " is set but " + CURRENCY
						+ " is not: name the currency the rate converts to (an ISO 4217 currency, e.g. EUR)");
			}
			currency = "USD";
		}
		currency = currency.strip().toUpperCase(Locale.ROOT);
		Currency known;
		try {
			known = Currency.getInstance(currency);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					CURRENCY + " '" + currency + "' is not an ISO 4217 currency code (e.g. USD, EUR, GBP, JPY)");
		}
		if (known.getDefaultFractionDigits() < 0) {
			// XXX, XAU, XTS…: codes of no currency, gold or tests, without amounts'
			// digits
			throw new IllegalArgumentException(CURRENCY + " '" + currency + "' is not a currency money is shown in");
		}
		if ("USD".equals(currency)) {
			if (usdRate != null && usdRate.compareTo(BigDecimal.ONE) != 0) {
				throw new IllegalArgumentException(RATE + " must be 1 (or unset) when " + CURRENCY + " is USD");
			}
			usdRate = BigDecimal.ONE;
		}
		else if (usdRate == null) {
			throw new IllegalArgumentException(RATE + " is required with " + CURRENCY + "=" + currency + ": " + currency
					+ " per US dollar, e.g. 0.92 (nothing is downloaded, so the rate is yours to set)");
		}
		else if (usdRate.signum() <= 0) {
			throw new IllegalArgumentException(RATE + " must be above 0 (" + currency + " per US dollar)");
		}
	}

	/** Whether costs are shown in US dollars, as counted. */
	public boolean isUsd() {
		return "USD".equals(this.currency);
	}

	/**
	 * The currency's symbol as English text writes it: {@code $}, {@code €}, {@code £},
	 * {@code ¥}, else its code ({@code CHF}).
	 */
	public String symbol() {
		return Currency.getInstance(this.currency).getSymbol(Locale.ENGLISH);
	}

	/**
	 * Digits after the decimal point of the currency's usual amounts: 2, or 0 for JPY.
	 */
	public int fractionDigits() {
		return Currency.getInstance(this.currency).getDefaultFractionDigits();
	}

	/** An amount in USD converted to this currency at {@link #usdRate()}. */
	public double convert(double usd) {
		return isUsd() ? usd : usd * this.usdRate.doubleValue();
	}

	/**
	 * A cost in USD as the pages show it, converted: the currency's usual digits
	 * ({@code $1,234.50}, {@code ¥1,235}), two more below its smallest unit
	 * ({@code $0.0042}) and two significant digits below a hundredth of it
	 * ({@code $0.000036}, not {@code $0.0000}). A symbol of letters is followed by a
	 * space ({@code CHF 12.00}).
	 * @param usd the cost in USD
	 */
	public String format(double usd) {
		double value = convert(usd);
		int digits = fractionDigits();
		double unit = Math.pow(10, -digits);
		String amount;
		if (value != 0 && Math.abs(value) < unit / 100) {
			amount = new BigDecimal(value).round(new MathContext(2)).stripTrailingZeros().toPlainString();
		}
		else if (value != 0 && Math.abs(value) < unit) {
			amount = String.format(Locale.ROOT, "%." + (digits + 2) + "f", value);
		}
		else {
			amount = String.format(Locale.ROOT, "%,." + digits + "f", value);
		}
		String symbol = symbol();
		boolean letters = Character.isLetter(symbol.charAt(symbol.length() - 1));
		if (amount.startsWith("-")) {
			return "-" + symbol + (letters ? " " : "") + amount.substring(1);
		}
		return symbol + (letters ? " " : "") + amount;
	}

	/**
	 * What the pages say under their costs when they are not in USD, e.g. "Costs in EUR
	 * at 0.92 EUR per US dollar (cctracer.display.usd-rate); the API, exports and prices
	 * are in USD."; {@code null} for USD.
	 */
	public String note() {
		if (isUsd()) {
			return null;
		}
		return "Costs in " + this.currency + " at " + this.usdRate.stripTrailingZeros().toPlainString() + " "
				+ this.currency + " per US dollar (" + RATE + "); the API, exports and prices are in USD.";
	}

}
