@v1.0.0 @v1.1.0
Feature: Advice for an EHC needs assessment
  A body the local authority asks for advice and information for an EHC needs assessment must
  give it within 6 weeks of being asked (SEND Regulations 2014 reg 8). Who must answer depends on
  the advice: the integrated care board for medical advice, the school for educational advice,
  the local authority itself otherwise. The advice answers the request it names ("in response
  to"), whatever its date. There is no exception to this time limit in these versions; version 1.2.0 reads
  regulation 8 again (advice_1_2_0.feature).

  Advice requested on Monday 17 February 2025 is due on 31 March 2025 (17 February + 6 weeks).

  Background:
    Given a child born on 14 March 2015
    And a request for an EHC needs assessment received on 6 January 2025
    And the local authority decided on 14 February 2025 to carry out the assessment

  Rule: ehc.advice_response - give the advice asked for within 6 weeks

    Scenario: The school gives educational advice in time
      Given educational advice requested on 17 February 2025
      And the educational advice received on 21 March 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.advice_response" for the educational advice request is met, due on 31 March 2025
      And the duty was satisfied by the educational advice
      And the school holds the duty
      And the duty is a "must"
      And the duty cites "SEND Regulations 2014 reg 8"

    Scenario: The integrated care board gives medical advice late
      Given medical advice requested on 17 February 2025
      And the medical advice received on 7 April 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.advice_response" for the medical advice request is late, due on 31 March 2025
      And the integrated care board holds the duty
      And the explanation says "came 7 days after the due date"

    Scenario Outline: Advice on the days around the due date
      Given educational advice requested on 17 February 2025
      And the educational advice received on <received>
      When the duties are decided on 1 June 2025
      Then the duty "ehc.advice_response" for the educational advice request is <status>, due on 31 March 2025

      Examples:
        | received      | status |
        | 30 March 2025 | met    |
        | 31 March 2025 | met    |
        | 1 April 2025  | late   |

    Scenario: Psychological advice not yet given is pending on the due date, and the local authority must give it
      Given psychological advice requested on 17 February 2025
      When the duties are decided on 31 March 2025
      Then the duty "ehc.advice_response" for the psychological advice request is pending, due on 31 March 2025
      And the local authority holds the duty

    Scenario: Social care advice not given by the due date is overdue
      Given social care advice requested on 17 February 2025
      When the duties are decided on 1 April 2025
      Then the duty "ehc.advice_response" for the social care advice request is overdue, due on 31 March 2025
      And the local authority holds the duty
      And nothing has satisfied the duty

    Scenario: Other advice is for the local authority to give
      Given other advice requested on 17 February 2025
      And the other advice received on 10 March 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.advice_response" for the other advice request is met, due on 31 March 2025
      And the local authority holds the duty

    Scenario: Advice answers the request it names, even if it is dated before it
      Given educational advice requested on 17 February 2025
      And the educational advice received on 14 February 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.advice_response" for the educational advice request is met, due on 31 March 2025
      And the duty was satisfied by the educational advice

    Scenario: Advice answering a second request leaves the first unanswered
      Given educational advice requested on 17 February 2025
      And educational advice requested on 3 March 2025
      And the educational advice received on 10 March 2025 in response to the second educational advice request
      When the duties are decided on 1 June 2025
      Then the duty "ehc.advice_response" for the first educational advice request is overdue, due on 31 March 2025
      And the duty "ehc.advice_response" for the second educational advice request is met, due on 14 April 2025
      And the duty was satisfied by the educational advice

    Scenario: Medical advice does not answer a request for educational advice
      Given educational advice requested on 17 February 2025
      And medical advice requested on 17 February 2025
      And the medical advice received on 20 March 2025
      When the duties are decided on 1 April 2025
      Then the duty "ehc.advice_response" for the educational advice request is overdue, due on 31 March 2025
      And the duty "ehc.advice_response" for the medical advice request is met, due on 31 March 2025
      And the duty holder is "icb"

    Scenario: Advice written as a plain event, with its fields in a table
      Given educational advice requested on 17 February 2025
      And an event "advice_received" on 21 March 2025
        | field          | value                            |
        | advice         | educational                      |
        | in_response_to | the educational advice request   |
      When the duties are decided on 1 June 2025
      Then the duty "ehc.advice_response" for the educational advice request is met, due on 31 March 2025
      And the duty was satisfied by the "advice_received" event
