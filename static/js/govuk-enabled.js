/* Runs first thing in <body>: tells the GOV.UK styles that JavaScript (and ES modules) are available. */
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
